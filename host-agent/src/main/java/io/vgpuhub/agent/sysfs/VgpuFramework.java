package io.vgpuhub.agent.sysfs;

/** How the host's NVIDIA vGPU manager exposes vGPUs (reference §2.3–2.4). */
public enum VgpuFramework {
    /** Mediated devices: {@code /sys/class/mdev_bus/<parent>/mdev_supported_types/nvidia-<id>/create}. */
    MDEV,
    /**
     * NVIDIA's vendor-specific VFIO framework (vGPU 17+, kernel 6.8+): no mdevs; a VF becomes a vGPU by writing a type id
     * to {@code <VF>/nvidia/current_vgpu_type} and is attached to a VM as a PCI hostdev with {@code managed='no'}.
     */
    VENDOR_VFIO,
    /** Neither: no mdev parent and no NVIDIA SR-IOV GPU bound to {@code nvidia} (no vGPU manager, or passthrough only). */
    NONE
}
