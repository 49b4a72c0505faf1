package io.vgpuhub.web.portal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server under load, in its own process as in production: the packaged server jar in demo mode on a throw-away
 * embedded PostgreSQL (VGPUHUB_DATA_DIR in a temporary folder), and the packaged host agent against the simulated GPU
 * host, so the demo host is ONLINE with its GPUs and slices become READY. Also reads what the processes cost: the
 * server JVM's resident memory and CPU time, and those of its PostgreSQL processes (its descendants).
 */
final class BenchServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    private final Path dataDir;
    private final Process server;
    private final Process agent;
    private final URI base;
    /** Stops the processes when the harness is interrupted (Ctrl-C), so no server or PostgreSQL is left running. */
    private final Thread onExit = new Thread(this::stopAndDelete, "loadbench-stop");

    private BenchServer(Path dataDir, Process server, Process agent, URI base) {
        this.dataDir = dataDir;
        this.server = server;
        this.agent = agent;
        this.base = base;
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Starts the server, waits for its readiness probe, then starts the agent. */
    static BenchServer start(Path serverJar, Path agentJar, List<String> serverJvmOptions) throws Exception {
        Path dataDir = Files.createTempDirectory("vgpuhub-loadbench-");
        int port = freePort();
        String agentToken = "loadbench-" + UUID.randomUUID();
        URI base = URI.create("http://127.0.0.1:" + port);

        List<String> serverCommand = new ArrayList<>(List.of(java()));
        serverCommand.addAll(serverJvmOptions);
        serverCommand.addAll(List.of("-jar", serverJar.toString()));
        ProcessBuilder serverBuilder = new ProcessBuilder(serverCommand).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        serverBuilder.environment().putAll(Map.of("PORT", String.valueOf(port), "VGPUHUB_DATA_DIR",
                dataDir.toString(), "VGPUHUB_AGENT_TOKEN", agentToken, "VGPUHUB_DEMO", "true"));
        Process server = serverBuilder.start();
        Process agent = null;
        try {
            awaitReadiness(server, base, dataDir);
            ProcessBuilder agentBuilder = new ProcessBuilder(java(), "-jar", agentJar.toString(), "run", "--server",
                    base.toString(), "--state-dir", dataDir.resolve("agent").toString(), "--simulate", "--metrics-port", "0")
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("agent.log").toFile());
            agentBuilder.environment().put("VGPUHUB_AGENT_TOKEN", agentToken);
            agent = agentBuilder.start();
            return new BenchServer(dataDir, server, agent, base);
        }
        catch (Exception | Error e) {
            stopAndDelete(dataDir, agent, server);
            throw e;
        }
    }

    URI base() {
        return base;
    }

    Path dataDir() {
        return dataDir;
    }

    boolean agentAlive() {
        return agent.isAlive();
    }

    /** The server JVM's resident memory (VmRSS), in MiB. */
    long serverRssMib() {
        return statusKib(server.pid(), "VmRSS:") / 1024;
    }

    /**
     * PostgreSQL's memory, in MiB: the proportional set size (shared buffers split among the processes that map them)
     * summed over its processes, so shared memory is counted once.
     */
    long postgresPssMib() {
        return postgres().mapToLong(p -> smapsRollupKib(p.pid(), "Pss:")).sum() / 1024;
    }

    /** CPU time used so far by the server JVM. */
    Duration serverCpu() {
        return server.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** CPU time used so far by the PostgreSQL processes alive now. */
    Duration postgresCpu() {
        return postgres().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * The embedded PostgreSQL's postmaster and its backends. pg_ctl starts the postmaster as a daemon, so it is not a
     * descendant of the server JVM; its pid is the first line of postmaster.pid in its data folder.
     */
    private Stream<ProcessHandle> postgres() {
        return postgresOf(dataDir);
    }

    private static Stream<ProcessHandle> postgresOf(Path dataDir) {
        try (Stream<Path> files = Files.find(dataDir, 4, (path, attributes) -> path.endsWith("postmaster.pid"))) {
            List<Path> pidFiles = files.toList();
            if (pidFiles.isEmpty()) {
                return Stream.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFiles.get(0)).get(0).strip());
            return ProcessHandle.of(pid).stream().flatMap(postmaster -> Stream.concat(Stream.of(postmaster),
                    postmaster.descendants()));
        }
        catch (IOException | RuntimeException e) {
            return Stream.empty();
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        }
        catch (IllegalStateException shuttingDown) {
            return;
        }
        stopAndDelete();
    }

    private void stopAndDelete() {
        stopAndDelete(dataDir, agent, server);
    }

    /** Also kills a PostgreSQL the server left behind (a server killed by force cannot stop it). */
    private static void stopAndDelete(Path dataDir, Process agent, Process server) {
        stop(agent);
        stop(server);
        postgresOf(dataDir).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (IOException e) {
            System.err.println("could not delete " + dataDir + ": " + e);
        }
    }

    private static void awaitReadiness(Process server, URI base, Path dataDir) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server stopped; see " + dataDir.resolve("server.log"));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server was not ready within " + READY_TIMEOUT + "; see "
                + dataDir.resolve("server.log"));
    }

    /** SIGTERM first, so Spring stops the embedded PostgreSQL cleanly; SIGKILL if that takes too long. */
    private static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long statusKib(long pid, String field) {
        return kibField(Path.of("/proc", String.valueOf(pid), "status"), field);
    }

    private static long smapsRollupKib(long pid, String field) {
        return kibField(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), field);
    }

    /** A "Field:   1234 kB" line of a /proc file; 0 when the process has gone. */
    private static long kibField(Path file, String field) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> Long.parseLong(l.substring(field.length()).replace("kB", "").strip())).orElse(0L);
        }
        catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
