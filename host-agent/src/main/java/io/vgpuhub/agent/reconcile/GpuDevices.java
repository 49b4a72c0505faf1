package io.vgpuhub.agent.reconcile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * What a physical GPU holds right now, whoever made it: mdevs on the GPU or its VFs, vGPU types set on its VFs (vendor
 * VFIO) and MIG GPU instances. A GPU's mode may change, and it may be passed through, only while this is empty.
 */
public final class GpuDevices {

    private final Sysfs sysfs;
    private final Mig mig;

    /** @param mig for the GPU instances, or null on an agent without MIG */
    public GpuDevices(Sysfs sysfs, Mig mig) {
        this.sysfs = sysfs;
        this.mig = mig;
    }

    /** One line per device on the GPU, e.g. {@code mdev 5b0a... on 0000:41:00.4}; empty when it holds none. */
    public List<String> on(String gpu) {
        List<String> devices = new ArrayList<>();
        List<String> vfs = sysfs.hasSriov(gpu) ? sysfs.virtualFunctions(gpu) : List.of();
        Set<String> parents = new HashSet<>(vfs);
        parents.add(gpu);
        for (Mdev mdev : sysfs.mdevs()) {
            if (parents.contains(mdev.parent())) {
                devices.add("mdev " + mdev.uuid() + " on " + mdev.parent());
            }
        }
        for (String vf : vfs) {
            if (sysfs.hasVendorVfio(vf)) {
                int type = sysfs.currentVgpuType(vf);
                if (type != 0) {
                    devices.add("vGPU type " + type + " on VF " + vf);
                }
            }
        }
        if (mig != null) {
            try {
                for (GpuInstance gi : mig.instances(gpu)) {
                    devices.add("MIG GPU instance " + gi.id() + " (profile " + gi.profileId() + " at " + gi.placement().start()
                            + ":" + gi.placement().size() + ")");
                }
            }
            catch (NvmlException noMigOrNotOnNvidia) {
                // NOT_SUPPORTED without MIG; NOT_FOUND once the GPU is no longer the nvidia driver's: no instances either way
            }
        }
        return List.copyOf(devices);
    }
}
