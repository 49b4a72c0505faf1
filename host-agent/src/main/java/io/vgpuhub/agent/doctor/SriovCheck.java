package io.vgpuhub.agent.doctor;

import io.vgpuhub.agent.sysfs.PciDrivers;

/**
 * {@code sriov}: on SR-IOV GPUs the vGPUs live on VFs, which {@code sriov-manage -e} enables and which do not survive
 * a reboot. Only the vGPU host driver needs them: passthrough disables them, bare MIG and the data-center driver do
 * without.
 */
final class SriovCheck {

    private SriovCheck() {
    }

    static ReadinessCheck check(HostFacts host, GpuFacts gpu) {
        String id = "sriov";
        String pf = gpu.address();
        if (!gpu.sriovCapable()) {
            return ReadinessCheck.ok(pf, id, "not SR-IOV capable: nothing to enable");
        }
        int enabled = gpu.vfs().size();
        if (enabled > 0) {
            return ReadinessCheck.ok(pf, id, "SR-IOV: " + enabled + " of " + gpu.totalVfs() + " VFs enabled");
        }
        String capable = "SR-IOV capable (" + gpu.totalVfs() + " VFs)";
        if (gpu.boundTo(PciDrivers.VFIO_PCI)) {
            return ReadinessCheck.ok(pf, id, capable + "; VFs are off while the GPU is bound to vfio-pci");
        }
        if (gpu.mig().filter(m -> m.current()).isPresent()) {
            return ReadinessCheck.ok(pf, id, capable + "; no VF enabled, and bare MIG slices need none");
        }
        return switch (host.flavour()) {
            case DATA_CENTER -> ReadinessCheck.ok(pf, id, capable + "; no VF enabled: VFs serve vGPUs only, which the "
                    + "data-center driver does not run");
            case VGPU_HOST -> ReadinessCheck.fail(pf, id, capable + " but no VF is enabled: no vGPU can be created on it",
                    "/usr/lib/nvidia/sriov-manage -e " + pf + ", and enable it at boot: systemctl enable nvidia-sriov.service "
                            + "where the driver ships it, else a oneshot unit that runs /usr/lib/nvidia/sriov-manage -e ALL "
                            + "after nvidia-vgpu-mgr.service");
            case UNKNOWN -> ReadinessCheck.fail(pf, id, capable + " but no VF is enabled, and no NVIDIA vGPU host driver to enable them",
                    "install the NVIDIA vGPU host driver (see nvidia-driver), then /usr/lib/nvidia/sriov-manage -e " + pf);
        };
    }
}
