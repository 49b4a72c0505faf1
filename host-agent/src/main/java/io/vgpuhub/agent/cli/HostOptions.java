package io.vgpuhub.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.reconcile.MigStore;
import io.vgpuhub.agent.reconcile.PassthroughStore;
import io.vgpuhub.agent.reconcile.SliceStore;
import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

/** {@code --state-dir}, {@code --sysfs-root} and {@code --simulate}, shared by the host-side commands. */
final class HostOptions {

    static final String DEFAULT_STATE_DIR = "/var/lib/vgpuhub-agent";

    @Option(names = "--state-dir", paramLabel = "<dir>", defaultValue = DEFAULT_STATE_DIR,
            description = "Slice records (slices/, mdevctl.d/, mig/, passthrough/) and, simulated, the simulated host (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--sysfs-root", paramLabel = "<dir>",
            description = "Root of sysfs (default: /sys; simulated: <state dir>/sim/sys).")
    Path sysfsRoot;

    @Option(names = "--simulate", arity = "0..1", fallbackValue = "", paramLabel = "<host file>",
            description = "Work on the simulated GPUs of this host file (default: the bundled demo host) instead of the host's.")
    String simulate;

    boolean simulated() {
        return simulate != null;
    }

    Path sysfsRoot() {
        if (sysfsRoot != null) {
            return sysfsRoot;
        }
        return simulated() ? stateDir.toAbsolutePath().resolve("sim").resolve("sys") : Path.of("/sys");
    }

    /** Boots the simulated host when simulated (reusing an existing tree, as after an agent restart) and opens sysfs. */
    Sysfs openSysfs() {
        if (simulated()) {
            Path hostFile = SimulatedHostFiles.resolve(simulate, stateDir);
            SimulatedHost.boot(hostFile, sysfsRoot());
            SimulatedNvml.booted(hostFile, sysfsRoot());
            return new Sysfs(sysfsRoot(), KernelFiles.load(Nvml.SIMULATED_LIBRARY));
        }
        if (!Files.isDirectory(sysfsRoot())) {
            throw new IllegalStateException("sysfs root " + sysfsRoot() + " is not a directory: ENOENT");
        }
        return new Sysfs(sysfsRoot(), KernelFiles.load("c"));
    }

    /** Loads NVML: the simulator's (configured for the host file, see {@link SimulatedNvml}) when simulated. */
    Nvml openNvml(String realLibrary) {
        if (simulated()) {
            SimulatedNvml.configure(SimulatedHostFiles.resolve(simulate, stateDir), sysfsRoot());
            return Nvml.load(Nvml.SIMULATED_LIBRARY);
        }
        return loadNvml(realLibrary);
    }

    /** Loads an NVML library; one that cannot be linked fails with a message naming it and the linker's first line. */
    static Nvml loadNvml(String library) {
        try {
            return Nvml.load(library);
        }
        catch (UnsatisfiedLinkError e) {
            String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalStateException("cannot load the NVML library '" + library + "' (is the NVIDIA driver installed?): " + why, e);
        }
    }

    PassthroughStore passthroughStore() {
        return new PassthroughStore(stateDir);
    }

    MigStore migStore() {
        return new MigStore(stateDir);
    }

    SliceStore store() {
        return new SliceStore(stateDir);
    }
}
