package io.vgpuhub.agent.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.vgpuhub.agent.sysfs.IommuGroup;
import io.vgpuhub.agent.sysfs.PciFunction;

/**
 * {@code iommu-group}: VFIO passes a whole group or nothing. The GPU's other functions (its HD audio) go along, bridges
 * stay (VFIO allows them), and any other device in the group blocks passthrough: a FAIL, since a passthrough slice
 * placed on the GPU would fail.
 */
final class IommuGroupCheck {

    private IommuGroupCheck() {
    }

    static ReadinessCheck check(HostFacts host, GpuFacts gpu) {
        String id = "iommu-group";
        String pf = gpu.address();
        if (gpu.group().isEmpty()) {
            if (host.iommuGroups() == 0) {
                return ReadinessCheck.fail(pf, id, "no IOMMU group (the IOMMU is off): the GPU cannot be passed through",
                        "turn the IOMMU on (see iommu-cmdline and iommu-groups), then reboot");
            }
            return ReadinessCheck.fail(pf, id, "no IOMMU group although the host has " + host.iommuGroups()
                    + ": the GPU cannot be passed through",
                    "read dmesg | grep -i -e DMAR -e AMD-Vi -e " + pf + " for why the IOMMU skipped it; update the server's firmware");
        }
        IommuGroup group = gpu.group().get();
        Set<String> vfs = gpu.vfs().stream().map(PciFunction::address).collect(Collectors.toSet());
        List<PciFunction> along = new ArrayList<>();
        List<PciFunction> bridges = new ArrayList<>();
        List<PciFunction> foreign = new ArrayList<>();
        for (PciFunction member : group.othersThan(pf)) {
            if (vfs.contains(member.address())) {
                continue;   // its own VFs: disabled before a passthrough binding
            }
            if (member.isBridge()) {
                bridges.add(member);
            }
            else if (member.sameSlotAs(pf)) {
                along.add(member);
            }
            else {
                foreign.add(member);
            }
        }
        String head = "IOMMU group " + group.number();
        if (!foreign.isEmpty()) {
            return ReadinessCheck.fail(pf, id, head + " also holds " + list(foreign) + ", not part of the GPU: the GPU cannot be "
                    + "passed through without it",
                    "put the GPU in another slot (one whose root port has its own IOMMU group), or enable ACS (Access Control "
                            + "Services) for its PCIe root port in the firmware setup so the IOMMU separates "
                            + foreign.stream().map(PciFunction::address).collect(Collectors.joining(", ")) + " from it; reboot");
        }
        List<String> parts = new ArrayList<>();
        parts.add(along.isEmpty() ? "the GPU alone" : "passthrough also takes " + list(along));
        if (!bridges.isEmpty()) {
            parts.add("bridges stay with the host: " + list(bridges));
        }
        return ReadinessCheck.ok(pf, id, head + ": " + String.join("; ", parts));
    }

    private static String list(List<PciFunction> functions) {
        return functions.stream().map(Fixes::describe).collect(Collectors.joining(", "));
    }
}
