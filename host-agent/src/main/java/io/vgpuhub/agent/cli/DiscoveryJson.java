package io.vgpuhub.agent.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.GpuInstanceProfile;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.nvml.Placement;
import io.vgpuhub.agent.reconcile.MigProfiles;
import io.vgpuhub.agent.sysfs.MdevParent;
import io.vgpuhub.agent.sysfs.MdevType;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The {@code discover --json} document; field names are part of the command's contract (see its help). */
final class DiscoveryJson {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private DiscoveryJson() {
    }

    static String of(String driverVersion, List<GpuInfo> gpus, Sysfs sysfs) {
        return of(driverVersion, gpus, sysfs, null);
    }

    /** @param mig NVML's MIG facade for the {@code mig[]} layout, or null to list none */
    static String of(String driverVersion, List<GpuInfo> gpus, Sysfs sysfs, Mig mig) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("driverVersion", driverVersion);
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
            gpuList.add(gpu);
        }
        doc.put("gpus", gpuList);
        boolean tree = Files.isDirectory(sysfs.root());
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
        return JSON.writeValueAsString(doc);
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
