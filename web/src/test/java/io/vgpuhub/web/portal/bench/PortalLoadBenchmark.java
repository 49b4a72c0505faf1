package io.vgpuhub.web.portal.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * On-demand bench harness (not a test): portal pages under load from a second process. Starts the packaged server
 * (demo mode, throw-away embedded PostgreSQL) and the simulated host agent as separate processes (see
 * {@link BenchServer}), signs in as the demo users, lets the tenant request a few slices that the agent makes READY,
 * then drives five pages at fixed arrival rates (see {@link OpenLoop}) and prints latency percentiles per page and
 * overall, the throughput achieved, the errors, and what the server's processes used: CPU and resident memory. Sizes
 * come from system properties (see {@link Config}); the command and results are in BENCHMARKS.md.
 */
public final class PortalLoadBenchmark {

    private static final String PASSWORD = "demo";

    private PortalLoadBenchmark() {
    }

    /** The settings, each a {@code -Dbench.*} system property. */
    record Config(List<Integer> rates, int seconds, int warmUpRate, int warmUpSeconds, int pauseSeconds,
            int sessionsPerUser, Path serverJar, Path agentJar, List<String> serverJvmOptions) {

        static Config fromSystemProperties() throws IOException {
            return new Config(
                    Arrays.stream(System.getProperty("bench.rates", "25,50,100,200").split(",")).map(String::strip)
                            .map(Integer::valueOf).toList(),
                    Integer.getInteger("bench.seconds", 30), Integer.getInteger("bench.warmUpRate", 25),
                    Integer.getInteger("bench.warmUpSeconds", 40), Integer.getInteger("bench.pauseSeconds", 5),
                    Integer.getInteger("bench.sessionsPerUser", 5),
                    Path.of(System.getProperty("bench.serverJar", "web/target/vgpuhub-server.jar")),
                    agentJar(System.getProperty("bench.agentJar")),
                    Arrays.stream(System.getProperty("bench.serverJvmOptions", "").split(" ")).filter(s -> !s.isBlank())
                            .toList());
        }

        private static Path agentJar(String configured) throws IOException {
            if (configured != null) {
                return Path.of(configured);
            }
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("host-agent/target"),
                    "vgpuhub-host-agent-*-exec.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            }
            throw new IllegalStateException("no host-agent/target/vgpuhub-host-agent-*-exec.jar; build it first");
        }
    }

    /** What one rate cost the machine, in CPU seconds per second of wall time (1.0 = one core busy). */
    record Usage(double serverCores, double postgresCores, double clientCores, double otherCores, long serverRssMib,
            long postgresPssMib, String loadAverage) {
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromSystemProperties();
        awaitQuietMachine(Double.parseDouble(System.getProperty("bench.quietLoad", "1.0")),
                Integer.getInteger("bench.quietWaitMinutes", 10));
        System.out.printf("machine: %d CPUs, Java %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Machine.loadAverage());
        System.out.printf("config: %s%n", config);
        try (BenchServer server = BenchServer.start(config.serverJar(), config.agentJar(), config.serverJvmOptions())) {
            System.out.printf("server ready at %s (data in %s), RSS %d MiB%n", server.base(), server.dataDir(),
                    server.serverRssMib());
            List<OpenLoop.Page> pages = setUp(server, config.sessionsPerUser());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
            OpenLoop load = new OpenLoop(http, pages);

            OpenLoop.Result warmUp = load.run(config.warmUpRate(), Duration.ofSeconds(config.warmUpSeconds()));
            System.out.printf("warm-up: %d requests/s for %d s, p50 %.1f ms, p99 %.1f ms, errors %d %s, RSS %d MiB%n",
                    config.warmUpRate(), config.warmUpSeconds(), ms(warmUp.overall().p50()), ms(warmUp.overall().p99()),
                    warmUp.overall().errors(), warmUp.errorKinds(), server.serverRssMib());

            List<OpenLoop.Result> results = new ArrayList<>();
            List<Usage> usages = new ArrayList<>();
            for (int rate : config.rates()) {
                settle(server, config.pauseSeconds());
                Machine.Sample before = Machine.sample(server);
                OpenLoop.Result result = load.run(rate, Duration.ofSeconds(config.seconds()));
                Usage usage = Machine.usage(before, Machine.sample(server), server);
                results.add(result);
                usages.add(usage);
                printRate(result, usage);
                if (!server.agentAlive()) {
                    System.out.println("warning: the host agent has stopped; see " + server.dataDir().resolve("agent.log"));
                }
            }
            printTables(results, usages);
            System.out.printf("load average at the end: %s%n", Machine.loadAverage());
        }
    }

    /**
     * Other builds on a shared machine take the cores the server needs, so the run waits (up to {@code minutes}) until
     * the 1-minute load average is below {@code load}; 0 does not wait.
     */
    private static void awaitQuietMachine(double load, int minutes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
        while (load > 0 && Double.parseDouble(Machine.loadAverage().split(" ")[0]) >= load) {
            if (System.nanoTime() > deadline) {
                System.out.printf("warning: the load average stayed above %.1f for %d minutes; starting anyway%n", load,
                        minutes);
                return;
            }
            Thread.sleep(10_000);
        }
    }

    /**
     * Waits at least {@code seconds}, then until the server has worked off what an overloaded rate left queued (its
     * requests time out at the client, not at the server): less than a fifth of a core busy over a second, 3 minutes at
     * most. So each rate starts from an idle server.
     */
    private static void settle(BenchServer server, int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            Duration before = server.serverCpu();
            Thread.sleep(1000);
            if (server.serverCpu().minus(before).toMillis() < 200) {
                return;
            }
        }
        System.out.println("warning: the server was still busy 3 minutes after the last rate");
    }

    /**
     * Signs in the demo users, has alice request four slices (two A40-8Q, two A40-4Q) and waits until the agent made
     * them READY, so My slices shows live slices; returns the pages under load.
     */
    private static List<OpenLoop.Page> setUp(BenchServer server, int sessionsPerUser) throws Exception {
        PortalSession alice = PortalSession.signIn(server.base(), "alice", PASSWORD);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        // Until the agent has reported its GPUs, the portal has no capacity to offer.
        while (!alice.requestSlices("A40-8Q", "bench-cad-01", 2)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no capacity for A40-8Q; see " + server.dataDir().resolve("agent.log"));
            }
            Thread.sleep(1000);
        }
        if (!alice.requestSlices("A40-4Q", "bench-vdi-01", 2)) {
            throw new IllegalStateException("no capacity for A40-4Q");
        }
        int ready;
        while ((ready = alice.fetch("/slices").split("state-READY", -1).length - 1) < 4 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        System.out.printf("alice's slices READY: %d of 4%n", ready);

        String month = YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
        return List.of(page(server, "tenant: My slices", "alice", "/slices", sessionsPerUser),
                page(server, "tenant: catalog", "alice", "/catalog", sessionsPerUser),
                page(server, "operator: hosts", "olivia", "/operator/hosts", sessionsPerUser),
                page(server, "licenses: overview", "leo", "/licenses", sessionsPerUser),
                page(server, "finance: month " + month, "fiona", "/finance/months/" + month, sessionsPerUser));
    }

    /** A page and one signed-in session per simulated browser; checks that each answers 200 before the load. */
    private static OpenLoop.Page page(BenchServer server, String name, String user, String path, int sessions)
            throws Exception {
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            PortalSession session = PortalSession.signIn(server.base(), user, PASSWORD);
            session.fetch(path);
            requests.add(session.page(path));
        }
        return new OpenLoop.Page(name, requests);
    }

    private static void printRate(OpenLoop.Result r, Usage u) {
        System.out.printf("%n%d requests/s: achieved %.1f/s, overall p50 %.1f / p90 %.1f / p99 %.1f / max %.1f ms, "
                        + "errors %d %s, client send lag max %.1f ms%n", r.rate(), r.okPerSecond(), ms(r.overall().p50()),
                ms(r.overall().p90()), ms(r.overall().p99()), ms(r.overall().max()), r.overall().errors(), r.errorKinds(),
                r.maxSendLagMs());
        System.out.printf("  CPU (cores): server JVM %.2f, PostgreSQL %.2f, bench client %.2f, other processes %.2f; "
                        + "server CPU per page %.1f ms; server RSS %d MiB, PostgreSQL PSS %d MiB; load average %s%n",
                u.serverCores(), u.postgresCores(), u.clientCores(), u.otherCores(), cpuPerPageMs(r, u), u.serverRssMib(),
                u.postgresPssMib(), u.loadAverage());
        r.byPage().forEach((page, s) -> System.out.printf("  %-28s p50 %7.1f  p90 %7.1f  p99 %7.1f  max %7.1f ms  "
                + "errors %d  %d KiB%n", page, ms(s.p50()), ms(s.p90()), ms(s.p99()), ms(s.max()), s.errors(),
                s.meanBytes() / 1024));
    }

    /** The same figures as Markdown tables, for BENCHMARKS.md. */
    private static void printTables(List<OpenLoop.Result> results, List<Usage> usages) {
        System.out.println("\n| rate (requests/s) | achieved (200/s) | p50 | p90 | p99 | max | errors | server JVM CPU "
                + "| PostgreSQL CPU | client CPU | other CPU | server CPU per page | server RSS | PostgreSQL PSS |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < results.size(); i++) {
            OpenLoop.Result r = results.get(i);
            Usage u = usages.get(i);
            OpenLoop.Stats s = r.overall();
            System.out.printf("| %d | %.1f | %s | %s | %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %.1f ms | %d MiB | %d MiB |%n",
                    r.rate(), r.okPerSecond(), fmt(s.p50()), fmt(s.p90()), fmt(s.p99()), fmt(s.max()), s.errors(),
                    u.serverCores(), u.postgresCores(), u.clientCores(), u.otherCores(), cpuPerPageMs(r, u),
                    u.serverRssMib(), u.postgresPssMib());
        }
        System.out.println("\n| page (p50 / p99 ms) | " + String.join(" | ",
                results.stream().map(r -> r.rate() + "/s").toList()) + " | size |");
        System.out.println("|---|" + "---|".repeat(results.size()) + "---|");
        for (String page : results.get(0).byPage().keySet()) {
            StringBuilder row = new StringBuilder("| " + page + " | ");
            for (OpenLoop.Result r : results) {
                OpenLoop.Stats s = r.byPage().get(page);
                row.append(fmt(s.p50())).append(" / ").append(fmt(s.p99())).append(" | ");
            }
            row.append(results.get(0).byPage().get(page).meanBytes() / 1024).append(" KiB |");
            System.out.println(row);
        }
    }

    /**
     * CPU the server JVM and PostgreSQL spent per page answered: a figure that other work on the machine disturbs far
     * less than the latencies (it slows the pages, but costs them little more CPU).
     */
    private static double cpuPerPageMs(OpenLoop.Result r, Usage u) {
        return (u.serverCores() + u.postgresCores()) * 1000 / r.okPerSecond();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Milliseconds with a precision that suits their size. */
    private static String fmt(long nanos) {
        double ms = ms(nanos);
        return ms < 10 ? String.format("%.1f ms", ms) : ms < 10_000 ? String.format("%.0f ms", ms)
                : String.format("%.1f s", ms / 1000);
    }
}
