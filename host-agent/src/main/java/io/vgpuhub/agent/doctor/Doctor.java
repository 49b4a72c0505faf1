package io.vgpuhub.agent.doctor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.VirtualizationMode;
import io.vgpuhub.agent.reconcile.PassthroughRecord;
import io.vgpuhub.agent.reconcile.PassthroughStore;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.PciFunction;
import io.vgpuhub.agent.sysfs.Procfs;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * Host readiness: reads the host through {@link Sysfs}, NVML and procfs (beside the sysfs root) and says, host-wide and
 * per GPU, what is ready and, for what is not, the exact fix. It only reads: no sysfs write, no NVML setter.
 *
 * <p>Severity: FAIL where something the host is set up for would break (a slice placed there fails, or the GPU cannot be
 * used at all); WARN where the host runs, with less than it could (the data-center driver runs passthrough and bare
 * MIG, not vGPU), or a change is waiting (a pending MIG mode).
 */
public final class Doctor {

    private final Sysfs sysfs;
    private final Procfs procfs;
    private final Supplier<Set<String>> agentPassthroughGpus;
    private final Clock clock;

    /** @param passthrough the agent's passthrough records (its own vfio-pci bindings); null when there are none */
    public Doctor(Sysfs sysfs, PassthroughStore passthrough, Clock clock) {
        this.sysfs = sysfs;
        this.procfs = sysfs.procfs();
        this.agentPassthroughGpus = () -> passthrough == null ? Set.of()
                : passthrough.all().stream().map(PassthroughRecord::gpuPciAddress).collect(Collectors.toSet());
        this.clock = clock;
    }

    /** Every check, with NVML loaded. */
    public Readiness check(Nvml nvml) {
        return run(nvml, null);
    }

    /** Every check on a host where NVML cannot be loaded; the GPU checks fall back to what sysfs tells. */
    public Readiness checkWithoutNvml(String whyNoNvml) {
        return run(null, whyNoNvml);
    }

    private Readiness run(Nvml nvml, String whyNoNvml) {
        HostFacts host = read(nvml, whyNoNvml);
        List<ReadinessCheck> checks = new ArrayList<>(IommuChecks.check(host));
        checks.add(VfioModulesCheck.check(host));
        checks.addAll(NvidiaDriverChecks.host(host));
        for (GpuFacts gpu : host.gpus()) {
            checks.add(NvidiaDriverChecks.flavour(host, gpu));
            checks.add(GpuDriverChecks.gpu(host, gpu));
            checks.add(SriovCheck.check(host, gpu));
            checks.add(GpuDriverChecks.vfs(gpu));
            checks.add(MigCheck.check(gpu));
            checks.add(IommuGroupCheck.check(host, gpu));
        }
        return new Readiness(clock.instant(), checks);
    }

    private HostFacts read(Nvml nvml, String whyNoNvml) {
        Optional<String> nvmlError = Optional.ofNullable(whyNoNvml);
        Map<String, GpuInfo> nvmlGpus = new HashMap<>();
        Optional<String> version = Optional.empty();
        if (nvml != null) {
            try {
                nvml.gpus().forEach(g -> nvmlGpus.put(g.pciAddress(), g));
                version = Optional.of(nvml.driverVersion());
            }
            catch (NvmlException e) {
                nvmlError = Optional.of(e.getMessage());
                nvml = null;
            }
        }
        if (version.isEmpty()) {
            version = procfs.nvidiaVersion();
        }
        Set<String> modules = new LinkedHashSet<>();
        for (String module : HostFacts.MODULES) {
            if (sysfs.moduleLoaded(module)) {
                modules.add(module);
            }
        }
        Set<String> agentGpus = agentPassthroughGpus.get();
        PciDrivers drivers = sysfs.drivers();
        List<GpuFacts> gpus = new ArrayList<>();
        for (String pf : drivers.nvidiaGpus()) {
            gpus.add(gpu(pf, drivers, nvml, nvmlGpus.get(pf), agentGpus.contains(pf)));
        }
        return new HostFacts(procfs.cmdline(), sysfs.iommuGroupCount(), Set.copyOf(modules), nvmlError, version,
                procfs.pidsNamed("nvidia-vgpu-mgr"), procfs.cpuVendor(), procfs.root().toString(), List.copyOf(gpus));
    }

    private GpuFacts gpu(String pf, PciDrivers drivers, Nvml nvml, GpuInfo info, boolean agentPassthrough) {
        int totalVfs = sysfs.hasSriov(pf) ? sysfs.totalVfs(pf) : 0;
        List<PciFunction> vfs = new ArrayList<>();
        if (sysfs.hasSriov(pf)) {
            for (String vf : sysfs.virtualFunctions(pf)) {
                sysfs.pciFunction(vf).ifPresent(vfs::add);
            }
        }
        Optional<VirtualizationMode> virtualization = Optional.empty();
        Optional<MigMode> mig = Optional.empty();
        List<Long> pids = List.of();
        if (nvml != null && info != null) {
            virtualization = nvmlRead(() -> nvml.virtualizationMode(pf));
            mig = nvmlRead(() -> nvml.mig().mode(pf));
            pids = nvmlRead(() -> nvml.computeProcesses(pf)).orElse(List.of());
        }
        return new GpuFacts(pf, Optional.ofNullable(info), drivers.driver(pf), drivers.driverOverride(pf), totalVfs,
                List.copyOf(vfs), sysfs.iommuGroup(pf), virtualization, mig, pids, agentPassthrough);
    }

    /** An NVML answer, empty where NVML does not support the query on this GPU (no MIG) or fails for it. */
    private static <T> Optional<T> nvmlRead(Supplier<T> read) {
        try {
            return Optional.of(read.get());
        }
        catch (NvmlException e) {
            return Optional.empty();
        }
    }
}
