package io.vgpuhub.agent.doctor;

/** Fix texts that more than one check gives. */
final class Fixes {

    /** Every check that needs the vGPU host driver says it this way. */
    static final String INSTALL_VGPU_DRIVER = "install the NVIDIA vGPU host driver (vGPU Manager: the vgpu-kvm package for your "
            + "distribution from the NVIDIA Licensing Portal; the data-center driver runs passthrough and MIG only), and reboot";

    private Fixes() {
    }

    /** The kernel parameters that turn the IOMMU on, for this CPU vendor (both when unknown). */
    static String iommuParameters(HostFacts host) {
        if (host.intel()) {
            return "intel_iommu=on iommu=pt";
        }
        if (host.amd()) {
            return "amd_iommu=on iommu=pt";
        }
        return "intel_iommu=on (Intel) or amd_iommu=on (AMD) and iommu=pt";
    }

    /** Editing the kernel command line, the Debian and the Red Hat way. */
    static String grub(String change) {
        return change + " in GRUB_CMDLINE_LINUX in /etc/default/grub, then run update-grub (Debian/Ubuntu) or "
                + "grub2-mkconfig -o /boot/grub2/grub.cfg (RHEL/SUSE), and reboot";
    }

    /** The firmware switch for the IOMMU, for this CPU vendor. */
    static String firmwareIommu(HostFacts host) {
        if (host.intel()) {
            return "Intel VT-d";
        }
        if (host.amd()) {
            return "AMD-Vi (IOMMU)";
        }
        return "Intel VT-d / AMD-Vi (IOMMU)";
    }
}
