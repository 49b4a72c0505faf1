package io.vgpuhub.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.doctor.Doctor;
import io.vgpuhub.agent.doctor.Readiness;
import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.GpuInstanceProfile;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.Placement;
import io.vgpuhub.agent.nvml.VgpuType;
import io.vgpuhub.agent.reconcile.MigProfiles;
import io.vgpuhub.agent.reconcile.PassthroughRecord;
import io.vgpuhub.agent.reconcile.PassthroughStore;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.Inventory;
import io.vgpuhub.agent.sysfs.MdevParent;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * Builds the inventory report from NVML (identity, memory, MIG mode, profiles and instances, vGPU types) and sysfs
 * (VFs, mdev or vendor-VFIO capability, the bound driver). A GPU bound to vfio-pci is gone from NVML; it is reported
 * with {@code passthroughBound} and the identity NVML gave it earlier (this process's last scan, or the passthrough
 * record), and not at all when neither knows it (it is in {@code foreignDevices} then).
 *
 * <p>MIG profiles come from nvmlDeviceGetGpuInstanceProfileInfoV, which answers only while MIG is enabled: a MIG-capable
 * GPU with MIG off reports {@code migCapable} and no {@code migProfiles} (unknown, not empty); the server keeps its
 * catalog's profiles for it until the GPU reports them.
 *
 * <p>The scan also runs the {@link Doctor}'s readiness checks, but not on every control-loop round: they re-read what the
 * scan has just read (NVML GPUs, MIG modes, VFs, IOMMU groups) and more (procfs, modules). They run when the GPUs the
 * scan saw changed since the last checks (a passthrough bound, a MIG mode switched, VFs enabled), and otherwise at most
 * every {@code readinessInterval}, for what only they see (IOMMU, vfio modules, nvidia-vgpu-mgr). While their outcome stays
 * the same the scan keeps the earlier reading, {@code checkedAt} included: the agent uploads an inventory only when it
 * differs from the last one, and a new timestamp alone is no news.
 */
final class InventoryScanner {

    private static final Logger log = LoggerFactory.getLogger(InventoryScanner.class);

    private final Nvml nvml;
    private final Sysfs sysfs;
    private final PassthroughStore passthrough;
    private final Doctor doctor;
    private final Map<String, Inventory.Gpu> lastSeen = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration readinessInterval;
    private volatile Readiness lastReadiness;
    private volatile List<Inventory.Gpu> gpusAtLastCheck;
    private volatile Instant lastCheck;

    /** @param passthrough the agent's passthrough records, for GPUs bound to vfio-pci; null without passthrough */
    InventoryScanner(Nvml nvml, Sysfs sysfs, PassthroughStore passthrough, Duration readinessInterval) {
        this(nvml, sysfs, passthrough, readinessInterval, Clock.systemUTC());
    }

    InventoryScanner(Nvml nvml, Sysfs sysfs, PassthroughStore passthrough, Duration readinessInterval, Clock clock) {
        this.nvml = nvml;
        this.sysfs = sysfs;
        this.passthrough = passthrough;
        this.readinessInterval = readinessInterval;
        this.clock = clock;
        this.doctor = new Doctor(sysfs, passthrough, clock);
    }

    Inventory scan(List<String> foreignDevices) {
        Set<String> mdevParents = sysfs.mdevParents().stream().map(MdevParent::address).collect(Collectors.toSet());
        PciDrivers drivers = sysfs.drivers();
        Map<String, Inventory.Gpu> gpus = new LinkedHashMap<>();
        for (GpuInfo gpu : nvml.gpus()) {
            Inventory.Gpu reported = describe(gpu, mdevParents, drivers);
            gpus.put(gpu.pciAddress(), reported);
            lastSeen.put(gpu.pciAddress(), reported);
        }
        for (String pf : drivers.nvidiaGpus()) {
            if (!gpus.containsKey(pf) && drivers.isBoundTo(pf, PciDrivers.VFIO_PCI)) {
                passedThrough(pf).ifPresent(g -> gpus.put(pf, g));
            }
        }
        List<Inventory.Gpu> scanned = List.copyOf(gpus.values());
        return new Inventory(hostname(), HostAgent.VERSION, scanned, List.copyOf(foreignDevices), readiness(scanned));
    }

    /** The readiness checks, the last ones while they stand; null when they could not run (the inventory still goes out). */
    private Readiness readiness(List<Inventory.Gpu> scanned) {
        Instant now = clock.instant();
        if (lastReadiness != null && scanned.equals(gpusAtLastCheck) && now.isBefore(lastCheck.plus(readinessInterval))) {
            return lastReadiness;
        }
        try {
            Readiness checked = doctor.check(nvml);
            gpusAtLastCheck = scanned;
            lastCheck = now;
            if (checked.sameChecksAs(lastReadiness)) {
                return lastReadiness;
            }
            lastReadiness = checked;
            return checked;
        }
        catch (RuntimeException e) {
            log.warn("readiness checks failed: {}", e.getMessage());
            return null;
        }
    }

    private Inventory.Gpu describe(GpuInfo gpu, Set<String> mdevParents, PciDrivers drivers) {
        String pf = gpu.pciAddress();
        boolean sriov = sysfs.hasSriov(pf) && sysfs.totalVfs(pf) > 0;
        List<String> vfs = sysfs.hasSriov(pf) ? sysfs.virtualFunctions(pf) : List.of();
        boolean vgpu = mdevParents.contains(pf) || vfs.stream().anyMatch(mdevParents::contains)
                || vfs.stream().anyMatch(sysfs::hasVendorVfio);
        boolean bound = drivers.isBoundTo(pf, PciDrivers.VFIO_PCI);
        Mig mig = nvml.mig();
        MigMode migMode = migMode(mig, pf);
        List<Inventory.MigProfile> profiles = null;
        List<Inventory.MigInstance> instances = null;
        if (migMode != null) {
            List<GpuInstanceProfile> nvmlProfiles = mig.profiles(pf);
            profiles = nvmlProfiles.isEmpty() ? null : migProfiles(mig, pf, nvmlProfiles);
            instances = migInstances(mig.instances(pf), nvmlProfiles);
        }
        String mode = migMode != null && migMode.current() ? DesiredState.MIG
                : vgpu && !bound ? DesiredState.VGPU : DesiredState.PASSTHROUGH;
        return new Inventory.Gpu(pf, gpu.uuid(), gpu.name(), gpu.memoryTotalMib(), mode, vfs, sriov, migMode != null,
                vgpuTypes(pf), profiles, instances, bound);
    }

    /** Null for boards without MIG (NVML answers NOT_SUPPORTED). */
    private static MigMode migMode(Mig mig, String pf) {
        try {
            return mig.mode(pf);
        }
        catch (NvmlException e) {
            return null;
        }
    }

    /**
     * The profiles with their placements. A profile whose placements NVML does not give (nvmlDeviceGetGpuInstance-
     * PossiblePlacements_v2 wants a privileged user) is left out whole: a profile without its slots places nothing.
     */
    private static List<Inventory.MigProfile> migProfiles(Mig mig, String pf, List<GpuInstanceProfile> profiles) {
        List<Inventory.MigProfile> result = new ArrayList<>();
        for (GpuInstanceProfile p : profiles) {
            List<Placement> placements;
            try {
                placements = mig.possiblePlacements(pf, p.id());
            }
            catch (NvmlException e) {
                continue;
            }
            if (!placements.isEmpty()) {
                result.add(new Inventory.MigProfile(MigProfiles.shortName(p.name()), p.id(), placements.get(0).size(),
                        placements.stream().map(Placement::start).toList(), p.instanceCount(), p.memoryMib()));
            }
        }
        return result.isEmpty() ? null : List.copyOf(result);
    }

    private static List<Inventory.MigInstance> migInstances(List<GpuInstance> instances, List<GpuInstanceProfile> profiles) {
        List<Inventory.MigInstance> result = new ArrayList<>();
        for (GpuInstance gi : instances) {
            String profile = profiles.stream().filter(p -> p.id() == gi.profileId()).map(p -> MigProfiles.shortName(p.name()))
                    .findFirst().orElse(String.valueOf(gi.profileId()));
            result.add(new Inventory.MigInstance(profile, gi.placement().start(), gi.placement().size(),
                    gi.migDeviceUuids().isEmpty() ? null : gi.migDeviceUuids().get(0)));
        }
        return List.copyOf(result);
    }

    /** The vGPU types NVML supports on the GPU, names cut to their last token; null when NVML cannot say. */
    private List<Inventory.VgpuType> vgpuTypes(String pf) {
        try {
            List<Inventory.VgpuType> types = new ArrayList<>();
            for (VgpuType t : nvml.vgpus().supportedTypes(pf)) {
                types.add(new Inventory.VgpuType(t.profile(), t.framebufferMib(), t.maxInstances()));
            }
            return List.copyOf(types);
        }
        catch (NvmlException e) {
            return null;
        }
    }

    /** A GPU bound to vfio-pci, with the identity NVML gave it before; empty when nothing knows it. */
    private Optional<Inventory.Gpu> passedThrough(String pf) {
        Inventory.Gpu seen = lastSeen.get(pf);
        if (seen != null) {
            return Optional.of(new Inventory.Gpu(pf, seen.uuid(), seen.name(), seen.memoryMib(), DesiredState.PASSTHROUGH,
                    List.of(), seen.sriov(), seen.migCapable(), null, null, null, true));
        }
        Optional<PassthroughRecord> record = passthrough == null ? Optional.empty() : passthrough.onGpu(pf);
        if (record.isPresent() && record.get().uuid() != null && record.get().name() != null && record.get().memoryMib() > 0) {
            PassthroughRecord r = record.get();
            return Optional.of(new Inventory.Gpu(pf, r.uuid(), r.name(), r.memoryMib(), DesiredState.PASSTHROUGH, List.of(),
                    sysfs.hasSriov(pf) && sysfs.totalVfs(pf) > 0, null, null, null, null, true));
        }
        return Optional.empty();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
