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
 * directory and simulated host. Its output goes to {@code <stateDir>/agent.log}, which failures quote.
 */
final class AgentProcess implements AutoCloseable {

    private final Path stateDir;
    private final Process process;

    private AgentProcess(Path stateDir, Process process) {
        this.stateDir = stateDir;
        this.process = process;
    }

    static AgentProcess start(URI server, String token, Path stateDir, Path hostFile, String... options) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "io.vgpuhub.agent.cli.AgentCli", "run",
                "--server", server.toString(), "--token", token, "--state-dir", stateDir.toString(),
                "--simulate=" + hostFile, "--metrics-port", "0"));
        command.addAll(List.of(options));
        try {
            Files.createDirectories(stateDir);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("agent.log").toFile()))
                    .start();
            return new AgentProcess(stateDir, process);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start the agent process", e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed; waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the agent did not die from SIGKILL");
        }
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
    }

    /** Polls {@code condition} until it holds, failing after {@code patience} with what was awaited and the agent's log. */
    static void eventually(String what, Duration patience, AgentProcess agent, Check condition) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up after " + patience.toSeconds() + " s waiting until " + what
                        + (agent == null ? "" : "; agent " + (agent.isAlive() ? "running" : "dead") + ", its log:\n" + agent.log()));
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }
}
