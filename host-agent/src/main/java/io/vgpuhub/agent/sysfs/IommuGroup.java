package io.vgpuhub.agent.sysfs;

import java.util.List;

/**
 * An IOMMU group ({@code /sys/kernel/iommu_groups/<number>}): the smallest set of functions the IOMMU can isolate, so
 * VFIO hands a VM all of them or none (Documentation/driver-api/vfio.rst: every device of the group must be bound to a
 * VFIO driver or unbound, bridges excepted).
 *
 * @param members every function of the group, the asking one included, by address
 */
public record IommuGroup(int number, List<PciFunction> members) {

    /** The members other than {@code address}. */
    public List<PciFunction> othersThan(String address) {
        return members.stream().filter(m -> !m.address().equals(address)).toList();
    }
}
