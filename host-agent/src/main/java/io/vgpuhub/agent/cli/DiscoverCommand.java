package io.vgpuhub.agent.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.sim.SimulatedHost;

/** {@code discover}: prints the NVML inventory. Read-only: it calls NVML getters only and writes nothing. */
@Command(name = "discover", mixinStandardHelpOptions = true, description = "Print the GPUs NVML sees (read-only).")
final class DiscoverCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--simulate", arity = "0..1", fallbackValue = "", paramLabel = "<host file>",
            description = "Read the simulated GPUs of this host file (default: the bundled demo host) instead of the driver.")
    String simulate;

    @Option(names = "--nvml-library", paramLabel = "<name>", defaultValue = Nvml.REAL_LIBRARY,
            description = "NVML library to load (default: ${DEFAULT-VALUE}, i.e. libnvidia-ml.so.1).")
    String nvmlLibrary;

    @Override
    public Integer call() throws Exception {
        String library = nvmlLibrary;
        if (simulate != null) {
            Path hostFile = simulate.isEmpty() ? demoHostFile() : Path.of(simulate);
            SimulatedHost.configureReadOnly(hostFile, Path.of(System.getProperty("java.io.tmpdir"), "vgpuhub-discover-none"));
            library = Nvml.SIMULATED_LIBRARY;
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Nvml nvml = load(library)) {
            List<GpuInfo> gpus = nvml.gpus();
            out.printf("NVML driver %s, %d GPU(s)%n", nvml.driverVersion(), gpus.size());
            for (GpuInfo gpu : gpus) {
                out.printf("GPU %d: %s%n", gpu.index(), gpu.name());
                out.printf("  UUID:        %s%n", gpu.uuid());
                out.printf("  PCI bus id:  %s (device id 0x%08X)%n", gpu.pciAddress(), gpu.pciDeviceId());
                out.printf("  Memory:      %d MiB used / %d MiB total%n", gpu.memoryUsedMib(), gpu.memoryTotalMib());
                out.printf("  Utilization: %s%n", utilization(nvml, gpu));
            }
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    private static Nvml load(String library) {
        try {
            return Nvml.load(library);
        }
        catch (UnsatisfiedLinkError e) {
            String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalStateException("cannot load the NVML library '" + library + "' (is the NVIDIA driver installed?): " + why, e);
        }
    }

    private static String utilization(Nvml nvml, GpuInfo gpu) {
        try {
            var u = nvml.utilization(gpu.pciAddress());
            return "gpu " + u.gpuPercent() + " %, memory " + u.memoryPercent() + " %";
        }
        catch (NvmlException e) {
            // MIG-enabled GPUs answer NOT_SUPPORTED here; that is information, not a failure.
            return "n/a (" + e.codeName() + ")";
        }
    }

    /** The bundled demo host, copied to a temporary file because the simulator reads a path. */
    private static Path demoHostFile() throws java.io.IOException {
        Path dir = java.nio.file.Files.createTempDirectory("vgpuhub-discover");
        dir.toFile().deleteOnExit();
        Path file = SimulatedHostFiles.resolve("", dir);
        file.toFile().deleteOnExit();
        file.getParent().toFile().deleteOnExit();
        return file;
    }
}
