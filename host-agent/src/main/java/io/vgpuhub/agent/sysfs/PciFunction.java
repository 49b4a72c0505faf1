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
}
