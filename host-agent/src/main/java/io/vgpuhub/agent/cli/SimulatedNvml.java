package io.vgpuhub.agent.cli;

import java.nio.file.Path;

import io.vgpuhub.agent.sim.SimulatedHost;

/**
 * Configures the simulator's GPUs for commands that only talk to NVML ({@code mig}, {@code discover}). The simulator
 * keeps MIG state in process memory and configuring it again is a power cycle (instances gone, Hopper mode back to the
 * host file's), so a host file already configured in this process is not configured again: successive commands run in
 * one JVM (tests, an embedding shell) see one another's GPU instances as on a real host. Each new process starts
 * from the host file, as after a reboot.
 */
final class SimulatedNvml {

    private static String configured;

    private SimulatedNvml() {
    }

    static synchronized void configure(Path hostFile, Path sysfsRoot) {
        String key = key(hostFile, sysfsRoot);
        if (!key.equals(configured)) {
            SimulatedHost.configureReadOnly(hostFile, sysfsRoot);
            configured = key;
        }
    }

    /** Notes that {@link SimulatedHost#boot} configured the simulator with this host file just now. */
    static synchronized void booted(Path hostFile, Path sysfsRoot) {
        configured = key(hostFile, sysfsRoot);
    }

    private static String key(Path hostFile, Path sysfsRoot) {
        return hostFile.toAbsolutePath().normalize() + "\n" + sysfsRoot.toAbsolutePath().normalize();
    }
}
