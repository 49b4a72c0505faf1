package io.vgpuhub.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.server.Inventory;
import io.vgpuhub.agent.sysfs.MdevParent;
import io.vgpuhub.agent.sysfs.Sysfs;

/** Builds the inventory report from NVML (identity, memory, MIG mode) and sysfs (VFs, mdev or vendor-VFIO capability). */
final class InventoryScanner {

    private final Nvml nvml;
    private final Sysfs sysfs;

    InventoryScanner(Nvml nvml, Sysfs sysfs) {
        this.nvml = nvml;
        this.sysfs = sysfs;
    }

    Inventory scan(List<String> foreignDevices) {
        Set<String> mdevParents = sysfs.mdevParents().stream().map(MdevParent::address).collect(Collectors.toSet());
        List<Inventory.Gpu> gpus = new ArrayList<>();
        for (GpuInfo gpu : nvml.gpus()) {
            String pf = gpu.pciAddress();
            List<String> vfs = sysfs.hasSriov(pf) ? sysfs.virtualFunctions(pf) : List.of();
            boolean vgpu = mdevParents.contains(pf) || vfs.stream().anyMatch(mdevParents::contains)
                    || vfs.stream().anyMatch(sysfs::hasVendorVfio);
            String mode = migEnabled(pf) ? "MIG" : vgpu ? "VGPU" : "PASSTHROUGH";
            gpus.add(new Inventory.Gpu(pf, gpu.uuid(), gpu.name(), gpu.memoryTotalMib(), mode, vfs));
        }
        return new Inventory(hostname(), HostAgent.VERSION, List.copyOf(gpus), List.copyOf(foreignDevices));
    }

    /** Boards without MIG answer NOT_SUPPORTED; they are simply not in MIG mode. */
    private boolean migEnabled(String pciAddress) {
        try {
            return nvml.mig().mode(pciAddress).current();
        }
        catch (NvmlException e) {
            return false;
        }
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
