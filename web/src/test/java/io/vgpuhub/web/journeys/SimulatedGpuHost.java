package io.vgpuhub.web.journeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import io.vgpuhub.agent.AgentSettings;
import io.vgpuhub.agent.HostAgent;

/**
 * The real host agent in a thread against the simulated A40 host (one GPU, four VFs) that the journeys' server knows as
 * the demo host. Each journey class starts it and stops it again, because the native simulator holds one host per
 * process and other test classes boot their own in between; the state folder is kept for the whole run, so a restart
 * finds the mdevs it made before, as on a real host.
 */
final class SimulatedGpuHost implements AutoCloseable {

    static final String GPU_PCI = "0000:41:00.0";
    private static final Duration POLL_WAIT = Duration.ofSeconds(1);

    private static Path stateDir;

    private final HostAgent agent;

    private SimulatedGpuHost(HostAgent agent) {
        this.agent = agent;
    }

    static SimulatedGpuHost start(int serverPort, String agentToken) {
        Path state = stateDir();
        Path hostFile = state.resolve("host.conf");
        try {
            Files.writeString(hostFile, "gpu pci=" + GPU_PCI
                    + " model=A40 uuid=GPU-7d1e0c55-3a0b-4c1e-9a53-0f6b2d4c8e11 memory_mib=46068 vfs=4\n");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AgentSettings settings = AgentSettings.simulated(URI.create("http://localhost:" + serverPort), agentToken, state,
                        hostFile)
                .withSampleInterval(Duration.ofSeconds(1))
                .withPollWait(POLL_WAIT);
        return new SimulatedGpuHost(HostAgent.start(settings));
    }

    /** Whether the mdev exists in the simulated sysfs tree (what {@code ls /sys/bus/mdev/devices} shows on a host). */
    static boolean hasMdev(UUID uuid) {
        return Files.exists(stateDir().resolve("sim/sys/bus/mdev/devices").resolve(uuid.toString()));
    }

    private static synchronized Path stateDir() {
        if (stateDir == null) {
            try {
                stateDir = Files.createTempDirectory("vgpuhub-journeys-host");
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stateDir;
    }

    @Override
    public void close() {
        agent.close();
        // The server holds the agent's last desired-state poll open for up to the poll wait after the agent has gone;
        // let it end, or a JVM exiting right now stops PostgreSQL under it and the server's shutdown waits 30 s.
        try {
            Thread.sleep(POLL_WAIT.plusMillis(300).toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
