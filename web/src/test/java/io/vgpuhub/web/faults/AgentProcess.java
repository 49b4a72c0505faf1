package io.vgpuhub.web.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real host agent ({@code vgpuhub-agent run --simulate}) as a process of its own, started from the test's classpath
 * (the reactor's host-agent classes and their dependencies), so that it can be killed with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux) as a crash or {@code kill -9} would, and started again on the same state
 * directory and simulated host. Its output goes to {@code <stateDir>/agent.log}, which failures quote. The token
 * travels in {@code VGPUHUB_AGENT_TOKEN}, not on the command line, where any user of the machine could read it.
 *
 * <p>An agent must not outlive the test JVM, or it polls a dead server forever: a shutdown hook kills it when the JVM
 * exits (a surefire timeout ends its fork with {@code System.exit}), and a watchdog shell kills it when the JVM is
 * itself killed with SIGKILL, which runs no hook.
 */
final class AgentProcess implements AutoCloseable {

    private final Path stateDir;
    private final Process process;
    private final Thread killOnExit;

    private AgentProcess(Path stateDir, Process process) {
        this.stateDir = stateDir;
        this.process = process;
        this.killOnExit = new Thread(process::destroyForcibly, "kill agent " + process.pid());
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static AgentProcess start(URI server, String token, Path stateDir, Path hostFile, String... options) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "io.vgpuhub.agent.cli.AgentCli", "run",
                "--server", server.toString(), "--state-dir", stateDir.toString(),
                "--simulate=" + hostFile, "--metrics-port", "0"));
        command.addAll(List.of(options));
        try {
            Files.createDirectories(stateDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("agent.log").toFile()));
            builder.environment().put("VGPUHUB_AGENT_TOKEN", token);
            Process process = builder.start();
            try {
                watch(process);
            }
            catch (IOException | RuntimeException e) {
                process.destroyForcibly();      // unwatched, it could outlive a JVM killed with SIGKILL
                throw e;
            }
            return new AgentProcess(stateDir, process);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start the agent process", e);
        }
    }

    /**
     * A shell that kills the agent once this JVM is gone, and ends by itself once the agent is. It sends SIGKILL only
     * while the agent lives: once the agent has exited its pid may already belong to another process.
     */
    private static void watch(Process agent) throws IOException {
        long self = ProcessHandle.current().pid();
        long pid = agent.pid();
        new ProcessBuilder("sh", "-c", "while kill -0 " + pid + "; do if ! kill -0 " + self + "; then kill -9 " + pid
                + "; break; fi; sleep 1; done 2>/dev/null; true")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed; waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the agent did not die from SIGKILL");
        }
        forgetTheHook();
    }

    /**
     * Kills the agent (SIGKILL) the moment {@code condition} holds, polled every few milliseconds so that the kill
     * lands as close as a test can to what the condition saw; fails after {@code patience} if it never holds.
     */
    void killAsSoonAs(String what, Duration patience, Check condition) throws Exception {
        eventually(what + " to kill the agent", patience, this, Duration.ofMillis(5), condition);
        kill();
    }

    private void forgetTheHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
        catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: nothing left to forget.
        }
    }

    /**
     * SIGTERM, as an operator stopping the service would send it: the agent's shutdown hook stops its threads and closes
     * its spool. Waits until the process is gone, failing if it does not stop.
     */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("the agent did not stop within 20 s of SIGTERM (killed it); its log:\n" + log());
        }
        forgetTheHook();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            String log = Files.readString(stateDir.resolve("agent.log"));
            return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
        }
        catch (IOException e) {
            return "(no agent log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
        forgetTheHook();
    }

    /** Polls {@code condition} until it holds, failing after {@code patience} with what was awaited and the agent's log. */
    static void eventually(String what, Duration patience, AgentProcess agent, Check condition) throws Exception {
        eventually(what, patience, agent, Duration.ofMillis(50), condition);
    }

    /** As {@link #eventually(String, Duration, AgentProcess, Check)}, polling every {@code pollInterval}. */
    static void eventually(String what, Duration patience, AgentProcess agent, Duration pollInterval, Check condition)
            throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up after " + patience.toSeconds() + " s waiting until " + what
                        + (agent == null ? "" : "; agent " + (agent.isAlive() ? "running" : "dead") + ", its log:\n" + agent.log()));
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }
}
