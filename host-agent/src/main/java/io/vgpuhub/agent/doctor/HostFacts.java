package io.vgpuhub.agent.doctor;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.vgpuhub.agent.nvml.VirtualizationMode;

/**
 * What the doctor read about the host as a whole.
 *
 * @param cmdline {@code /proc/cmdline}; empty when unreadable
 * @param iommuGroups how many groups {@code /sys/kernel/iommu_groups} holds
 * @param loadedModules the modules of interest found under {@code /sys/module}
 * @param nvmlError why NVML could not be used; empty when it could
 * @param driverVersion NVML's driver version, else the kernel module's
 * @param vgpuManagerPids the {@code nvidia-vgpu-mgr} processes
 * @param cpuVendor {@code GenuineIntel} or {@code AuthenticAMD}; empty when unknown (the fixes then name both)
 * @param procRoot where procfs was read, for messages
 */
record HostFacts(Optional<String> cmdline, int iommuGroups, Set<String> loadedModules, Optional<String> nvmlError,
        Optional<String> driverVersion, List<Long> vgpuManagerPids, Optional<String> cpuVendor, String procRoot,
        List<GpuFacts> gpus) {

    static final List<String> MODULES = List.of("vfio", "vfio_pci", "vfio_iommu_type1", "nvidia", "nvidia_vgpu_vfio");

    /** The host's driver flavour: from NVML where it answers, else from the kernel modules and processes. */
    Flavour flavour() {
        if (gpus.stream().anyMatch(g -> g.virtualization().filter(VirtualizationMode::isVgpuHost).isPresent())) {
            return Flavour.VGPU_HOST;
        }
        if (gpus.stream().anyMatch(g -> g.virtualization().filter(VirtualizationMode.NONE::equals).isPresent())) {
            return Flavour.DATA_CENTER;
        }
        if (loadedModules.contains("nvidia_vgpu_vfio") || !vgpuManagerPids.isEmpty()) {
            return Flavour.VGPU_HOST;
        }
        return loadedModules.contains("nvidia") && nvmlError.isEmpty() ? Flavour.DATA_CENTER : Flavour.UNKNOWN;
    }

    boolean intel() {
        return cpuVendor.filter("GenuineIntel"::equals).isPresent();
    }

    boolean amd() {
        return cpuVendor.filter("AuthenticAMD"::equals).isPresent();
    }

    /** Which NVIDIA driver drives the GPUs. */
    enum Flavour {
        /** The vGPU host driver (vGPU Manager, vgpu-kvm): vGPU, MIG and passthrough slices. */
        VGPU_HOST,
        /** The data-center (Tesla) driver: passthrough and bare MIG only. */
        DATA_CENTER,
        /** No NVIDIA driver, or nothing says which. */
        UNKNOWN;

        /** How summaries name it: {@code the vGPU host driver}. */
        String label() {
            return switch (this) {
                case VGPU_HOST -> "the vGPU host driver";
                case DATA_CENTER -> "the data-center driver";
                case UNKNOWN -> "a driver of unknown flavour";
            };
        }
    }
}
