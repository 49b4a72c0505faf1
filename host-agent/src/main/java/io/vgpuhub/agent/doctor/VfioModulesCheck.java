package io.vgpuhub.agent.doctor;

import static io.vgpuhub.agent.doctor.ReadinessCheck.HOST;

import java.util.List;

/** {@code vfio-modules}: vfio-pci takes a passed-through GPU, vfio_iommu_type1 maps every VFIO VM's memory. */
final class VfioModulesCheck {

    private static final List<String> REQUIRED = List.of("vfio", "vfio_pci", "vfio_iommu_type1");

    private VfioModulesCheck() {
    }

    static ReadinessCheck check(HostFacts host) {
        List<String> missing = REQUIRED.stream().filter(m -> !host.loadedModules().contains(m)).toList();
        if (missing.isEmpty()) {
            return ReadinessCheck.ok(HOST, "vfio-modules", "vfio, vfio_pci and vfio_iommu_type1 are loaded");
        }
        return ReadinessCheck.fail(HOST, "vfio-modules", String.join(", ", missing) + " not loaded: no GPU can be passed "
                + "through and no VM with a vGPU can start",
                "modprobe vfio-pci vfio_iommu_type1, and list both (vfio-pci and vfio_iommu_type1, one per line) in "
                        + "/etc/modules-load.d/vfio.conf so they load at boot");
    }
}
