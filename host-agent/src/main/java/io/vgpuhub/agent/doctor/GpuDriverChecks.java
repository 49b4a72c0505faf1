package io.vgpuhub.agent.doctor;

import java.util.List;
import java.util.stream.Collectors;

import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.PciFunction;

/**
 * {@code gpu-driver} and {@code vf-drivers}: a GPU belongs on {@code nvidia}, or on {@code vfio-pci} while the agent
 * passes it through (its passthrough record says so); its VFs always stay on {@code nvidia}, which serves their vGPUs.
 */
final class GpuDriverChecks {

    /** Past this many VFs the fix walks the PF's virtfn links instead of naming each VF (the fix must stay short). */
    private static final int NAMED_VFS = 8;

    private GpuDriverChecks() {
    }

    static ReadinessCheck gpu(HostFacts host, GpuFacts gpu) {
        String id = "gpu-driver";
        String pf = gpu.address();
        if (gpu.boundTo(PciDrivers.NVIDIA)) {
            return ReadinessCheck.ok(pf, id, "bound to nvidia");
        }
        String clearOverride = gpu.driverOverride().isPresent() ? "echo > /sys/bus/pci/devices/" + pf + "/driver_override; " : "";
        String bindNvidia = "echo " + pf + " > /sys/bus/pci/drivers/nvidia/bind";
        if (gpu.boundTo(PciDrivers.VFIO_PCI)) {
            if (gpu.agentPassthrough()) {
                return ReadinessCheck.ok(pf, id, "bound to vfio-pci by vGPU Hub for a passthrough slice");
            }
            return ReadinessCheck.warn(pf, id, "bound to vfio-pci outside vGPU Hub (no passthrough slice of this agent): vGPU Hub "
                    + "leaves it alone and places no slice on it",
                    "when no VM uses it: " + clearOverride + "echo " + pf + " > /sys/bus/pci/drivers/vfio-pci/unbind; " + bindNvidia);
        }
        if (gpu.driver().isEmpty()) {
            String load = host.loadedModules().contains("nvidia") ? "" : "modprobe nvidia; ";
            return ReadinessCheck.fail(pf, id, "bound to no driver" + gpu.driverOverride().map(o -> " (driver_override " + o + ")")
                    .orElse("") + ": NVML does not see it and no slice can run on it", load + clearOverride + bindNvidia);
        }
        String other = gpu.driver().get();
        if (other.equals("nouveau")) {
            return ReadinessCheck.fail(pf, id, "bound to nouveau (the open-source driver), not nvidia: no slice can run on it",
                    "blacklist nouveau: printf 'blacklist nouveau\\noptions nouveau modeset=0\\n' > "
                            + "/etc/modprobe.d/blacklist-nouveau.conf, then update-initramfs -u (Debian/Ubuntu) or dracut -f "
                            + "(RHEL/SUSE), and reboot");
        }
        return ReadinessCheck.fail(pf, id, "bound to " + other + ", not nvidia: no slice can run on it",
                clearOverride + "echo " + pf + " > /sys/bus/pci/drivers/" + other + "/unbind; " + bindNvidia);
    }

    static ReadinessCheck vfs(GpuFacts gpu) {
        String id = "vf-drivers";
        String pf = gpu.address();
        if (gpu.vfs().isEmpty()) {
            return ReadinessCheck.ok(pf, id, gpu.sriovCapable() ? "no VF enabled (see sriov)" : "no SR-IOV, so no VFs");
        }
        List<PciFunction> wrong = gpu.vfs().stream().filter(vf -> !vf.driver().filter(PciDrivers.NVIDIA::equals).isPresent()).toList();
        if (wrong.isEmpty()) {
            return ReadinessCheck.ok(pf, id, "all " + gpu.vfs().size() + " VFs are bound to nvidia");
        }
        String list = wrong.stream().map(vf -> vf.address() + " (" + vf.driver().orElse("no driver") + ")")
                .collect(Collectors.joining(", "));
        String each = wrong.size() <= NAMED_VFS
                ? "for vf in " + wrong.stream().map(PciFunction::address).collect(Collectors.joining(" "))
                : "for vf in $(basename -a $(readlink /sys/bus/pci/devices/" + pf + "/virtfn*))";
        return ReadinessCheck.fail(pf, id, wrong.size() + " of " + gpu.vfs().size() + " VFs are not bound to nvidia, so they "
                + "cannot host vGPUs: " + list,
                each + "; do echo > /sys/bus/pci/devices/$vf/driver_override; echo $vf > /sys/bus/pci/devices/$vf/driver/unbind "
                        + "2>/dev/null; echo $vf > /sys/bus/pci/drivers/nvidia/bind; done");
    }
}
