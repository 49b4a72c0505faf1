package io.vgpuhub.agent.doctor;

import java.util.Locale;

import io.vgpuhub.agent.sysfs.PciFunction;

/** Fix texts that more than one check gives, and the words for PCI functions in summaries. */
final class Fixes {

    static final String INSTALL_VGPU_DRIVER = "install the NVIDIA vGPU host driver (vGPU Manager, the vgpu-kvm package for your "
            + "distribution from the NVIDIA Licensing Portal) in place of the data-center driver, and reboot";

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

    /** {@code 0000:41:00.1 (NVIDIA audio, snd_hda_intel)}. */
    static String describe(PciFunction f) {
        return f.address() + " (" + vendor(f.vendor()) + " " + kind(f.pciClass()) + ", " + f.driver().orElse("no driver") + ")";
    }

    private static String vendor(String id) {
        String v = id == null ? "" : id.toLowerCase(Locale.ROOT);
        return switch (v) {
            case "0x10de" -> "NVIDIA";
            case "0x8086" -> "Intel";
            case "0x1022" -> "AMD";
            case "0x15b3" -> "Mellanox";
            case "0x14e4" -> "Broadcom";
            default -> "vendor " + (id == null ? "?" : id);
        };
    }

    private static String kind(String pciClass) {
        String c = pciClass == null ? "" : pciClass.toLowerCase(Locale.ROOT);
        if (c.startsWith("0x0403")) {
            return "audio";
        }
        if (c.startsWith("0x0200")) {
            return "Ethernet";
        }
        if (c.startsWith("0x0207")) {
            return "InfiniBand";
        }
        if (c.startsWith("0x03")) {
            return "display";
        }
        if (c.startsWith("0x0604")) {
            return "PCI bridge";
        }
        if (c.startsWith("0x0c03")) {
            return "USB";
        }
        if (c.startsWith("0x0108")) {
            return "NVMe";
        }
        return "class " + (pciClass == null ? "?" : pciClass);
    }
}
