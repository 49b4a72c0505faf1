package io.vgpuhub.agent.sysfs;

import java.util.Locale;
import java.util.Optional;

/**
 * What sysfs says about one PCI function: its ids, class and bound driver.
 *
 * @param address sysfs form, e.g. {@code 0000:41:00.1}
 * @param vendor {@code 0x10de}
 * @param pciClass {@code 0x040300} (class, subclass, programming interface)
 * @param driver the bound driver, empty when none
 */
public record PciFunction(String address, String vendor, String device, String pciClass, Optional<String> driver) {

    public boolean isNvidia() {
        return PciDrivers.NVIDIA_VENDOR.equals(vendor);
    }

    /** A PCI-to-PCI bridge: VFIO lets a group hold one unbound or bound to pcieport, and it is never passed through. */
    public boolean isBridge() {
        return pciClass != null && pciClass.toLowerCase(Locale.ROOT).startsWith("0x0604");
    }

    /** Another function of the same device (same domain, bus and slot), e.g. a GPU's HD audio function. */
    public boolean sameSlotAs(String otherAddress) {
        return address.substring(0, address.lastIndexOf('.')).equals(otherAddress.substring(0, otherAddress.lastIndexOf('.')));
    }

    /** {@code 0000:41:00.1 (NVIDIA audio, snd_hda_intel)}: address, vendor, kind and driver, for messages. */
    public String describe() {
        return address + " (" + vendorName() + " " + kind() + ", " + driver.orElse("no driver") + ")";
    }

    private String vendorName() {
        String v = vendor == null ? "" : vendor.toLowerCase(Locale.ROOT);
        return switch (v) {
            case "0x10de" -> "NVIDIA";
            case "0x8086" -> "Intel";
            case "0x1022" -> "AMD";
            case "0x15b3" -> "Mellanox";
            case "0x14e4" -> "Broadcom";
            default -> "vendor " + (vendor == null ? "?" : vendor);
        };
    }

    private String kind() {
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
