package io.vgpuhub.agent.sysfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An IOMMU group ({@code /sys/kernel/iommu_groups/<number>}): the smallest set of functions the IOMMU can isolate, so
 * VFIO hands a VM all of them or none (Documentation/driver-api/vfio.rst: the group is viable when every device of it
 * is bound to a VFIO driver or to no driver, bridges excepted).
 *
 * @param members every function of the group, the asking one included, by address
 */
public record IommuGroup(int number, List<PciFunction> members) {

    /** The members other than {@code address}. */
    public List<PciFunction> othersThan(String address) {
        return members.stream().filter(m -> !m.address().equals(address)).toList();
    }

    /**
     * What passing {@code gpu} through means for the rest of its group, the one rule the agent's passthrough and its
     * doctor both apply: the GPU's own other functions (same slot: its HD audio) go to vfio-pci with it; bridges stay
     * with the host (VFIO allows them); the GPU's VFs are skipped (disabled before the binding); any other member
     * blocks the passthrough while a driver holds it, and is left alone, but must stay so, while no driver does.
     *
     * @param vfs the GPU's enabled VFs, by address
     */
    public Partition partition(String gpu, Set<String> vfs) {
        List<PciFunction> along = new ArrayList<>();
        List<PciFunction> bridges = new ArrayList<>();
        List<PciFunction> blocking = new ArrayList<>();
        List<PciFunction> unbound = new ArrayList<>();
        for (PciFunction member : othersThan(gpu)) {
            if (vfs.contains(member.address())) {
                continue;
            }
            if (member.isBridge()) {
                bridges.add(member);
            }
            else if (member.sameSlotAs(gpu)) {
                along.add(member);
            }
            else if (member.driver().isPresent()) {
                blocking.add(member);
            }
            else {
                unbound.add(member);
            }
        }
        return new Partition(List.copyOf(along), List.copyOf(bridges), List.copyOf(blocking), List.copyOf(unbound));
    }

    /**
     * A group split by {@link #partition}.
     *
     * @param along the GPU's other functions, bound to vfio-pci with it
     * @param bridges PCI bridges, which stay with the host
     * @param blocking other devices bound to a driver: the host uses them, so the GPU cannot be passed through
     * @param unbound other devices bound to no driver: VFIO accepts them as long as none gets a driver
     */
    public record Partition(List<PciFunction> along, List<PciFunction> bridges, List<PciFunction> blocking,
            List<PciFunction> unbound) {
    }
}
