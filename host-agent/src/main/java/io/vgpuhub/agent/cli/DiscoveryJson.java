package io.vgpuhub.agent.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.sysfs.MdevParent;
import io.vgpuhub.agent.sysfs.MdevType;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The {@code discover --json} document; field names are part of the command's contract (see its help). */
final class DiscoveryJson {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private DiscoveryJson() {
    }

    static String of(String driverVersion, List<GpuInfo> gpus, Sysfs sysfs) {
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
        return JSON.writeValueAsString(doc);
    }
}
