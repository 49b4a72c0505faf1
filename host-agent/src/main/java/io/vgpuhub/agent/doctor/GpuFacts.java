package io.vgpuhub.agent.doctor;

import java.util.List;
import java.util.Optional;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.VirtualizationMode;
import io.vgpuhub.agent.sysfs.IommuGroup;
import io.vgpuhub.agent.sysfs.PciFunction;

/**
 * What the doctor read about one NVIDIA GPU (a display-class physical function in sysfs).
 *
 * @param nvml NVML's view; empty when NVML does not see the GPU (bound to another driver, or no NVML)
 * @param driverOverride {@code driver_override}, empty when unset
 * @param totalVfs {@code sriov_totalvfs}, 0 without SR-IOV
 * @param vfs the enabled VFs with their drivers, in virtfn order
 * @param virtualization NVML's virtualization mode; empty when NVML cannot say
 * @param mig NVML's MIG mode; empty for boards without MIG or when NVML cannot say
 * @param computePids host compute processes on the GPU (they keep a GPU reset from running)
 * @param agentPassthrough whether a passthrough record of the agent names this GPU (its vfio-pci binding is the agent's)
 */
record GpuFacts(String address, Optional<GpuInfo> nvml, Optional<String> driver, Optional<String> driverOverride,
        int totalVfs, List<PciFunction> vfs, Optional<IommuGroup> group, Optional<VirtualizationMode> virtualization,
        Optional<MigMode> mig, List<Long> computePids, boolean agentPassthrough) {

    boolean sriovCapable() {
        return totalVfs > 0;
    }

    boolean boundTo(String name) {
        return driver.filter(name::equals).isPresent();
    }

    String driverName() {
        return driver.orElse("no driver");
    }
}
