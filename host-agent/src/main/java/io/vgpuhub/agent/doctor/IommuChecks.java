package io.vgpuhub.agent.doctor;

import static io.vgpuhub.agent.doctor.ReadinessCheck.HOST;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code iommu-cmdline} and {@code iommu-groups}: VFIO (passthrough, and the VFs vGPU VMs get) needs the IOMMU, which
 * takes the kernel parameter and the firmware switch. Groups are the proof it is on: the kernel makes them only then.
 */
final class IommuChecks {

    private static final List<String> ON = List.of("intel_iommu=on", "amd_iommu=on");
    private static final List<String> OFF = List.of("intel_iommu=off", "amd_iommu=off", "iommu=off");

    private IommuChecks() {
    }

    static List<ReadinessCheck> check(HostFacts host) {
        return List.of(cmdline(host), groups(host));
    }

    private static ReadinessCheck cmdline(HostFacts host) {
        String id = "iommu-cmdline";
        if (host.cmdline().isEmpty()) {
            return ReadinessCheck.fail(HOST, id, "cannot read the kernel command line (" + host.procRoot() + "/cmdline)",
                    "run the doctor on the host itself, where /proc is mounted");
        }
        List<String> params = Arrays.asList(host.cmdline().get().split("\\s+"));
        Optional<String> off = OFF.stream().filter(params::contains).findFirst();
        if (off.isPresent()) {
            return ReadinessCheck.fail(HOST, id, "the kernel command line turns the IOMMU off (" + off.get() + ")",
                    Fixes.grub("remove " + off.get() + " and add " + Fixes.iommuParameters(host)));
        }
        Optional<String> on = ON.stream().filter(params::contains).findFirst();
        if (on.isPresent()) {
            return ReadinessCheck.ok(HOST, id, "IOMMU is on in the kernel command line (" + on.get() + ")");
        }
        if (host.iommuGroups() > 0) {
            return ReadinessCheck.ok(HOST, id, "the kernel command line does not ask for the IOMMU, but the kernel turned it on "
                    + "by default (" + host.iommuGroups() + " IOMMU groups)");
        }
        return ReadinessCheck.fail(HOST, id, "the kernel command line does not turn the IOMMU on (no intel_iommu=on or amd_iommu=on)",
                Fixes.grub("add " + Fixes.iommuParameters(host)));
    }

    private static ReadinessCheck groups(HostFacts host) {
        String id = "iommu-groups";
        if (host.iommuGroups() > 0) {
            return ReadinessCheck.ok(HOST, id, host.iommuGroups() + " IOMMU groups in /sys/kernel/iommu_groups");
        }
        boolean asked = host.cmdline().map(c -> Arrays.stream(c.split("\\s+")).anyMatch(ON::contains)).orElse(false);
        if (asked) {
            return ReadinessCheck.fail(HOST, id, "no IOMMU groups although the kernel command line asks for the IOMMU: "
                    + Fixes.firmwareIommu(host) + " is off in the firmware",
                    "enable " + Fixes.firmwareIommu(host) + " in the server's firmware (BIOS/UEFI) setup, and reboot");
        }
        return ReadinessCheck.fail(HOST, id, "no IOMMU groups: the IOMMU is off, so no GPU can be passed through and no VF given to a VM",
                "turn the IOMMU on in the kernel command line (see iommu-cmdline) and make sure " + Fixes.firmwareIommu(host)
                        + " is enabled in the firmware (BIOS/UEFI) setup, then reboot");
    }
}
