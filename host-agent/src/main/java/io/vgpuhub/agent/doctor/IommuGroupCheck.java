package io.vgpuhub.agent.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.vgpuhub.agent.sysfs.IommuGroup;
import io.vgpuhub.agent.sysfs.PciFunction;

/**
 * {@code iommu-group}: VFIO passes a whole group or nothing ({@link IommuGroup#partition}, the rule passthrough applies
 * too). The GPU's other functions (its HD audio) go along, bridges stay, another device bound to a driver blocks
 * passthrough (a FAIL: a passthrough slice placed on the GPU would fail), and one bound to no driver is a WARN: VFIO
 * accepts it only while no driver takes it.
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
        IommuGroup.Partition members = group.partition(pf,
                gpu.vfs().stream().map(PciFunction::address).collect(Collectors.toSet()));
        String head = "IOMMU group " + group.number();
        if (!members.blocking().isEmpty()) {
            return ReadinessCheck.fail(pf, id, head + " also holds " + list(members.blocking()) + ", not part of the GPU: the GPU "
                    + "cannot be passed through without it",
                    "put the GPU in another slot (one whose root port has its own IOMMU group), or enable ACS (Access Control "
                            + "Services) for its PCIe root port in the firmware setup so the IOMMU separates "
                            + addresses(members.blocking()) + " from it; reboot");
        }
        List<String> parts = new ArrayList<>();
        parts.add(members.along().isEmpty() ? "the GPU alone" : "passthrough also takes " + list(members.along()));
        if (!members.bridges().isEmpty()) {
            parts.add("bridges stay with the host: " + list(members.bridges()));
        }
        if (!members.unbound().isEmpty()) {
            parts.add("also holds " + list(members.unbound()) + ", bound to no driver, which VFIO allows while it stays so");
            return ReadinessCheck.warn(pf, id, head + ": " + String.join("; ", parts),
                    "keep " + addresses(members.unbound()) + " without a driver while the GPU is passed through (no driver "
                            + "may bind it: blacklist its module or set its driver_override to vfio-pci), or separate it from "
                            + "the GPU with ACS on the root port or another slot");
        }
        return ReadinessCheck.ok(pf, id, head + ": " + String.join("; ", parts));
    }

    private static String addresses(List<PciFunction> functions) {
        return functions.stream().map(PciFunction::address).collect(Collectors.joining(", "));
    }

    private static String list(List<PciFunction> functions) {
        return functions.stream().map(PciFunction::describe).collect(Collectors.joining(", "));
    }
}
