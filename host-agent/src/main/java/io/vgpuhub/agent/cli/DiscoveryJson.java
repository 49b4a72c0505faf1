package io.vgpuhub.agent.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.GpuInstanceProfile;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.Placement;
import io.vgpuhub.agent.nvml.VgpuType;
import io.vgpuhub.agent.nvml.Vgpus;
import io.vgpuhub.agent.reconcile.MigProfiles;
import io.vgpuhub.agent.sysfs.MdevParent;
import io.vgpuhub.agent.sysfs.MdevType;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The {@code discover --json} document; field names are part of the command's contract (see its help). */
final class DiscoveryJson {


    private DiscoveryJson() {
    }

    static String of(String driverVersion, List<GpuInfo> gpus, Sysfs sysfs) {
        return of(driverVersion, gpus, sysfs, null, null);
    }

    /**
     * @param mig NVML's MIG facade for the {@code mig[]} layout and {@code migCapable}, or null to list none
     * @param vgpus NVML's vGPU facade for {@code vgpuTypes[]}, or null to list none
     */
    static String of(String driverVersion, List<GpuInfo> gpus, Sysfs sysfs, Mig mig, Vgpus vgpus) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("driverVersion", driverVersion);
        boolean tree = Files.isDirectory(sysfs.root());
        PciDrivers drivers = sysfs.drivers();
        List<Object> gpuList = new ArrayList<>();
        for (GpuInfo g : gpus) {
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("index", g.index());
            gpu.put("name", g.name());
            gpu.put("uuid", g.uuid());
            gpu.put("pciAddress", g.pciAddress());
            gpu.put("pciDeviceId", Integer.toUnsignedLong(g.pciDeviceId()));
            gpu.put("memoryTotalMib", g.memoryTotalMib());
            gpu.put("memoryUsedMib", g.memoryUsedMib());
            gpu.put("migCapable", mig == null ? null : migCapable(mig, g.pciAddress()));
            gpu.put("sriov", tree ? sysfs.hasSriov(g.pciAddress()) && sysfs.totalVfs(g.pciAddress()) > 0 : null);
            gpu.put("driver", tree ? drivers.driver(g.pciAddress()).orElse(null) : null);
            gpuList.add(gpu);
        }
        doc.put("gpus", gpuList);
        doc.put("pciGpus", tree ? pciGpus(drivers, gpus) : List.of());
        doc.put("vgpuTypes", vgpus == null ? List.of() : vgpuTypes(gpus, vgpus));
        List<Object> sriov = new ArrayList<>();
        if (tree) {
            for (GpuInfo g : gpus) {
                if (sysfs.hasSriov(g.pciAddress())) {
                    Map<String, Object> pf = new LinkedHashMap<>();
                    pf.put("pf", g.pciAddress());
                    pf.put("totalVfs", sysfs.totalVfs(g.pciAddress()));
                    pf.put("numVfs", sysfs.numVfs(g.pciAddress()));
                    pf.put("vfs", sysfs.virtualFunctions(g.pciAddress()));
                    sriov.add(pf);
                }
            }
        }
        doc.put("sriov", sriov);
        List<Object> parents = new ArrayList<>();
        if (tree) {
            for (MdevParent p : sysfs.mdevParents()) {
                Map<String, Object> parent = new LinkedHashMap<>();
                parent.put("address", p.address());
                parent.put("physicalFunction", p.physicalFunction());
                List<Object> types = new ArrayList<>();
                for (MdevType t : sysfs.types(p.address())) {
                    Map<String, Object> type = new LinkedHashMap<>();
                    type.put("id", t.id());
                    type.put("name", t.name());
                    type.put("profile", t.profile());
                    type.put("availableInstances", t.availableInstances());
                    type.put("framebufferMib", t.description().framebufferMib());
                    type.put("maxInstances", t.description().maxInstance());
                    types.add(type);
                }
                parent.put("types", types);
                parents.add(parent);
            }
        }
        doc.put("mdevParents", parents);
        doc.put("mig", mig == null ? List.of() : migLayout(gpus, mig));
        return PrettyJson.MAPPER.writeValueAsString(doc);
    }

    private static boolean migCapable(Mig mig, String pciAddress) {
        try {
            mig.mode(pciAddress);
            return true;
        }
        catch (NvmlException e) {
            return false;
        }
    }

    /**
     * Every NVIDIA display-class PCI function of sysfs with its driver: a GPU bound to vfio-pci (passed through) is gone
     * from NVML and shows only here ({@code nvml} false).
     */
    private static List<Object> pciGpus(PciDrivers drivers, List<GpuInfo> gpus) {
        List<Object> list = new ArrayList<>();
        for (String address : drivers.nvidiaGpus()) {
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("address", address);
            gpu.put("driver", drivers.driver(address).orElse(null));
            gpu.put("driverOverride", drivers.driverOverride(address).orElse(null));
            gpu.put("nvml", gpus.stream().anyMatch(g -> g.pciAddress().equals(address)));
            list.add(gpu);
        }
        return list;
    }

    /** One entry per GPU: the vGPU types NVML supports on it; GPUs for which NVML answers no vGPU query are left out. */
    private static List<Object> vgpuTypes(List<GpuInfo> gpus, Vgpus vgpus) {
        List<Object> list = new ArrayList<>();
        for (GpuInfo g : gpus) {
            List<VgpuType> supported;
            try {
                supported = vgpus.supportedTypes(g.pciAddress());
            }
            catch (NvmlException e) {
                continue;
            }
            List<Object> types = new ArrayList<>();
            for (VgpuType t : supported) {
                Map<String, Object> type = new LinkedHashMap<>();
                type.put("id", t.id());
                type.put("name", t.name());
                type.put("profile", t.profile());
                type.put("typeClass", t.typeClass());
                type.put("framebufferMib", t.framebufferMib());
                type.put("maxInstances", t.maxInstances());
                type.put("license", t.license());
                types.add(type);
            }
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("pciAddress", g.pciAddress());
            gpu.put("types", types);
            list.add(gpu);
        }
        return list;
    }

    /** One entry per MIG-capable GPU: mode, GPU instances and per-profile capacity and placements. */
    private static List<Object> migLayout(List<GpuInfo> gpus, Mig mig) {
        List<Object> layout = new ArrayList<>();
        for (GpuInfo g : gpus) {
            MigMode mode;
            try {
                mode = mig.mode(g.pciAddress());
            }
            catch (NvmlException e) {
                continue;
            }
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("pciAddress", g.pciAddress());
            gpu.put("currentMode", mode.current() ? "enabled" : "disabled");
            gpu.put("pendingMode", mode.pending() ? "enabled" : "disabled");
            List<GpuInstanceProfile> profiles = mig.profiles(g.pciAddress());
            List<Object> instances = new ArrayList<>();
            for (GpuInstance gi : mig.instances(g.pciAddress())) {
                Map<String, Object> instance = new LinkedHashMap<>();
                instance.put("gpuInstanceId", gi.id());
                instance.put("profileId", gi.profileId());
                instance.put("profile", MigProfiles.shortName(MigCommand.profileName(profiles, gi.profileId())));
                instance.put("start", gi.placement().start());
                instance.put("size", gi.placement().size());
                instance.put("migDeviceUuids", gi.migDeviceUuids());
                instances.add(instance);
            }
            gpu.put("instances", instances);
            List<Object> profileList = new ArrayList<>();
            for (GpuInstanceProfile p : profiles) {
                Map<String, Object> profile = new LinkedHashMap<>();
                profile.put("id", p.id());
                profile.put("name", MigProfiles.shortName(p.name()));
                profile.put("maxInstances", p.instanceCount());
                Integer remaining;
                try {
                    remaining = mig.remainingCapacity(g.pciAddress(), p.id());
                }
                catch (NvmlException e) {
                    remaining = null;
                }
                profile.put("remainingCapacity", remaining);
                List<Object> placements = new ArrayList<>();
                for (Placement pl : mig.possiblePlacements(g.pciAddress(), p.id())) {
                    Map<String, Object> placement = new LinkedHashMap<>();
                    placement.put("start", pl.start());
                    placement.put("size", pl.size());
                    placements.add(placement);
                }
                profile.put("placements", placements);
                profileList.add(profile);
            }
            gpu.put("profiles", profileList);
            layout.add(gpu);
        }
        return layout;
    }
}
