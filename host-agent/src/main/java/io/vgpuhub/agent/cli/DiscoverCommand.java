package io.vgpuhub.agent.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.GpuInstanceProfile;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.VgpuType;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * {@code discover}: prints the NVML inventory and, with {@code --json}, the SR-IOV and mdev view of sysfs. Read-only: it
 * calls NVML getters and reads sysfs, and writes nothing (simulated, it reads the tree that {@code run}, {@code restore}
 * or {@code mdev} built, and shows no VFs or types when there is none).
 */
@Command(name = "discover", mixinStandardHelpOptions = true, description = {
        "Print the GPUs NVML sees (read-only).",
        "With --json, one JSON object with these stable fields:",
        "  driverVersion: NVML's driver version",
        "  gpus[]: index, name, uuid, pciAddress (sysfs form), pciDeviceId ((device << 16) | vendor), memoryTotalMib, memoryUsedMib, "
                + "migCapable, sriov (sriov_totalvfs > 0; null without sysfs), driver (the bound driver; null without sysfs)",
        "  pciGpus[]: every NVIDIA display-class PCI function in sysfs: address, driver (e.g. nvidia, vfio-pci, null when unbound), "
                + "driverOverride (null when unset), nvml (whether NVML lists it: a GPU bound to vfio-pci is gone from NVML)",
        "  vgpuTypes[]: one per GPU NVML answers vGPU queries for: pciAddress, types[]: id, name, profile (last token, e.g. A40-8Q), "
                + "typeClass, framebufferMib, maxInstances, license",
        "  sriov[]: one per NVML GPU with SR-IOV in sysfs: pf, totalVfs, numVfs, vfs[] (VF addresses in virtfn order)",
        "  mdevParents[]: address, physicalFunction (null unless a VF), types[]: id (nvidia-NNN), name, profile (e.g. A40-8Q), "
                + "availableInstances, framebufferMib, maxInstances",
        "  mig[]: one per MIG-capable GPU: pciAddress, currentMode, pendingMode (enabled|disabled), instances[]: gpuInstanceId, "
                + "profileId, profile (e.g. 3g.40gb), start, size, migDeviceUuids[]; profiles[]: id, name, maxInstances, "
                + "remainingCapacity, placements[]: start, size (NVML lists the profiles only while MIG is enabled)" })
final class DiscoverCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    HostOptions host;

    @Option(names = "--json", description = "Print one JSON object (fields above) instead of text.")
    boolean json;

    @Option(names = "--nvml-library", paramLabel = "<name>", defaultValue = Nvml.REAL_LIBRARY,
            description = "NVML library to load (default: ${DEFAULT-VALUE}, i.e. libnvidia-ml.so.1).")
    String nvmlLibrary;

    @Override
    public Integer call() throws Exception {
        String library = nvmlLibrary;
        String kernelLibrary = "c";
        if (host.simulated()) {
            Path hostFile = host.simulate.isEmpty() ? demoHostFile() : Path.of(host.simulate);
            SimulatedNvml.configure(hostFile, host.sysfsRoot());
            library = Nvml.SIMULATED_LIBRARY;
            kernelLibrary = Nvml.SIMULATED_LIBRARY;
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Nvml nvml = HostOptions.loadNvml(library)) {
            List<GpuInfo> gpus = nvml.gpus();
            if (json) {
                out.println(DiscoveryJson.of(nvml.driverVersion(), gpus, new Sysfs(host.sysfsRoot(), KernelFiles.load(kernelLibrary)),
                        nvml.mig(), nvml.vgpus()));
                out.flush();
                return CommandLine.ExitCode.OK;
            }
            out.printf("NVML driver %s, %d GPU(s)%n", nvml.driverVersion(), gpus.size());
            for (GpuInfo gpu : gpus) {
                out.printf("GPU %d: %s%n", gpu.index(), gpu.name());
                out.printf("  UUID:        %s%n", gpu.uuid());
                out.printf("  PCI bus id:  %s (device id 0x%08X)%n", gpu.pciAddress(), gpu.pciDeviceId());
                out.printf("  Memory:      %d MiB used / %d MiB total%n", gpu.memoryUsedMib(), gpu.memoryTotalMib());
                out.printf("  Utilization: %s%n", utilization(nvml, gpu));
                out.printf("  vGPU types:  %s%n", vgpuTypes(nvml, gpu));
                printMig(out, nvml.mig(), gpu);
            }
            printHiddenGpus(out, gpus);
        }
        out.flush();
        return CommandLine.ExitCode.OK;
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

    private static String vgpuTypes(Nvml nvml, GpuInfo gpu) {
        try {
            List<VgpuType> types = nvml.vgpus().supportedTypes(gpu.pciAddress());
            return types.isEmpty() ? "none" : types.size() + " (" + types.stream()
                    .map(VgpuType::profile)
                    .collect(java.util.stream.Collectors.joining(", ")) + ")";
        }
        catch (NvmlException e) {
            return "n/a (" + e.codeName() + ")";
        }
    }

    /** NVIDIA GPUs in sysfs that NVML does not list: bound to vfio-pci (passed through) or to no driver. */
    private void printHiddenGpus(PrintWriter out, List<GpuInfo> gpus) {
        if (!Files.isDirectory(host.sysfsRoot())) {
            return;
        }
        PciDrivers drivers = new Sysfs(host.sysfsRoot(), KernelFiles.load(host.simulated() ? Nvml.SIMULATED_LIBRARY : "c")).drivers();
        for (String address : drivers.nvidiaGpus()) {
            if (gpus.stream().noneMatch(g -> g.pciAddress().equals(address))) {
                out.printf("GPU at %s: not in NVML, bound to %s%n", address, drivers.driver(address).orElse("no driver"));
            }
        }
    }

    /** MIG mode and GPU instances, one line each; nothing for a GPU without MIG. */
    private static void printMig(PrintWriter out, Mig mig, GpuInfo gpu) {
        MigMode mode;
        try {
            mode = mig.mode(gpu.pciAddress());
        }
        catch (NvmlException e) {
            return;
        }
        List<GpuInstance> instances = mig.instances(gpu.pciAddress());
        out.printf("  MIG:         %s%s, %d GPU instance(s)%n", mode.current() ? "enabled" : "disabled",
                mode.resetRequired() ? " (" + (mode.pending() ? "enabled" : "disabled") + " pending a GPU reset)" : "",
                instances.size());
        List<GpuInstanceProfile> profiles = mig.profiles(gpu.pciAddress());
        for (GpuInstance gi : instances) {
            out.printf("    GI %d: %s at %d:%d %s%n", gi.id(), MigCommand.profileName(profiles, gi.profileId()),
                    gi.placement().start(), gi.placement().size(), String.join(",", gi.migDeviceUuids()));
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
