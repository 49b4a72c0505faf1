package io.vgpuhub.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.sim.SimulatedReboot;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.Scrapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon ({@code -exec} jar, as operators and the demo run it) against a real HTTP server: the native
 * simulator is loaded from inside the jar, and NVML, the simulated kernel and the simulator's control must be one
 * library instance for the mdev to be created and its GPU to be discovered. Runs after {@code package} (failsafe).
 */
class ExecutableJarIntegrationTests {

    @TempDir
    Path stateDir;

    @Test
    void thePackagedAgentDiscoversTheSimulatedGpusAndCreatesTheDesiredMdev() throws Exception {
        try (FakeAgentApi server = new FakeAgentApi()) {
            String slice = UUID.randomUUID().toString();
            server.desire(List.of(FakeAgentApi.vgpuSlice(slice, "0000:41:00.0", "0000:41:00.4", "A40-8Q")));
            int metricsPort = Scrapes.freePort();
            Process agent = new ProcessBuilder(javaBinary(), "-jar", executableJar().toString(), "run",
                    "--server", server.url().toString(), "--token", FakeAgentApi.TOKEN,
                    "--state-dir", stateDir.toString(), "--simulate", "--metrics-port", String.valueOf(metricsPort))
                    .redirectErrorStream(true).redirectOutput(stateDir.resolve("agent.log").toFile()).start();
            try {
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                while (server.observations().stream().noneMatch(o -> o.contains("READY")) && Instant.now().isBefore(deadline)) {
                    assertThat(agent.isAlive()).as("agent still running; log:%n%s", log()).isTrue();
                    Thread.sleep(200);
                }
                assertThat(server.observations()).as("log:%n%s", log()).anyMatch(o -> o.contains(slice) && o.contains("READY"));
                assertThat(server.received("PUT", "/api/agent/v1/inventory").get(0).body().toString())
                        .contains("GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f", "0000:41:00.4");
                assertThat(stateDir.resolve("sim/sys/bus/mdev/devices").resolve(slice)).exists();
                // the Prometheus client made it into the jar: the endpoint serves the agent's metrics and health
                assertThat(Scrapes.metrics(metricsPort)).as("log:%n%s", log())
                        .containsKeys("vgpuhub_agent_reconcile_seconds_count", "vgpuhub_agent_spool_samples",
                                "vgpuhub_agent_gpu_utilization_ratio{gpu=\"0000:41:00.0\"}");
                assertThat(Scrapes.get(metricsPort, "/health").statusCode()).isEqualTo(200);
            }
            finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    @Test
    void thePackagedRestoreBringsBackARecordedMdevAfterASimulatedReboot() throws Exception {
        String slice = UUID.randomUUID().toString();
        assertThat(runJar("mdev", "create", "--simulate", "--state-dir", stateDir.toString(), "--parent", "0000:41:00.4",
                "--type", "A40-8Q", "--uuid", slice)).isZero();
        Path root = stateDir.resolve("sim/sys");
        SimulatedHost.boot(stateDir.resolve("sim/demo-host.conf"), root);
        SimulatedReboot.reboot(root);
        assertThat(root.resolve("bus/mdev/devices").resolve(slice)).doesNotExist();

        assertThat(runJar("restore", "--simulate", "--state-dir", stateDir.toString())).as("log:%n%s", log()).isZero();

        assertThat(root.resolve("bus/mdev/devices").resolve(slice)).exists();
        assertThat(Files.readString(root.resolve("bus/pci/devices/0000:41:00.0/sriov_numvfs")).strip()).isEqualTo("16");
        assertThat(log()).contains("restored mdev " + slice, "restore: 1 mdev(s) restored, 0 already present, 0 failed");
    }

    private int runJar(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(javaBinary(), "-jar", executableJar().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("agent.log").toFile())).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private String log() throws Exception {
        Path log = stateDir.resolve("agent.log");
        return Files.exists(log) ? Files.readString(log) : "(no output)";
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path executableJar() {
        File[] jars = new File("target").listFiles((dir, name) -> name.startsWith("vgpuhub-host-agent-") && name.endsWith("-exec.jar"));
        assertThat(jars).as("the -exec jar was packaged before this test").hasSize(1);
        return jars[0].toPath().toAbsolutePath();
    }
}
