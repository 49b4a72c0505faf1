package io.vgpuhub.agent.reconcile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.sysfs.IommuGroup;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.PciFunction;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * Whether a GPU may be handed to vfio-pci now, and what goes with it. VFIO gives a VM a whole IOMMU group or nothing
 * (Documentation/driver-api/vfio.rst): every member must be bound to vfio-pci or to no driver, bridges excepted
 * ({@link IommuGroup#partition}). So the other functions of the GPU itself (same domain, bus and slot: its HD audio
 * function) go with it, a group that also holds another device bound to a driver (a NIC behind the same root port
 * without ACS) is refused rather than taken from the host, and an unbound one is left as it is. Nor may anything on the
 * host hold the GPU or its audio function ({@link GpuHolders}): their unbinds would block in the kernel. Everything is
 * read before anything is written, so a refusal leaves the host as it was.
 */
final class PassthroughChecks {

    private static final String DOCTOR = "`vgpuhub-agent doctor` checks the host";

    private final Sysfs sysfs;
    private final PciDrivers drivers;
    private final GpuDevices devices;
    private final Nvml nvml;
    private final GpuHolders holders;

    /** @param nvml for the GPU's host compute processes, or null (none are checked) */
    PassthroughChecks(Sysfs sysfs, GpuDevices devices, Nvml nvml, GpuHolders holders) {
        this.sysfs = sysfs;
        this.drivers = sysfs.drivers();
        this.devices = devices;
        this.nvml = nvml;
        this.holders = holders;
    }

    /**
     * What {@link #check} found: why the GPU cannot be handed to vfio-pci now, or (refusal empty) what the binding
     * takes, the GPU first, each with its driver now: the members of its IOMMU group in the same slot.
     */
    record Verdict(Optional<String> refusal, List<PassthroughRecord.Function> functions) {

        static Verdict refused(Optional<String> why) {
            return new Verdict(why, List.of());
        }

        static Verdict refused(String why) {
            return refused(Optional.of(why));
        }
    }

    /**
     * Whether the GPU may be handed to vfio-pci now, and with what. {@code ours}: the agent's own record says it binds
     * this GPU (an interrupted binding, or a restore), so the GPU and its functions may already be on vfio-pci. The IOMMU
     * group is read once, for the refusal and the functions alike.
     */
    Verdict check(String gpu, boolean ours) {
        if (!drivers.nvidiaGpus().contains(gpu)) {
            return Verdict.refused("no NVIDIA GPU at " + gpu);
        }
        Optional<String> driver = drivers.driver(gpu);
        boolean onVfio = driver.equals(Optional.of(PciDrivers.VFIO_PCI));
        if (driver.isPresent() && !PciDrivers.NVIDIA.equals(driver.get()) && !(ours && onVfio)) {
            return Verdict.refused("GPU " + gpu + " is bound to " + driver.get() + ", not nvidia: left alone");
        }
        Optional<String> host = hostRefusal(gpu);
        if (host.isPresent()) {
            return Verdict.refused(host);
        }
        Optional<IommuGroup> group = sysfs.iommuGroup(gpu);
        if (group.isEmpty()) {
            return Verdict.refused("GPU " + gpu + " has no IOMMU group, so vfio-pci cannot take it, nothing was touched: "
                    + "is the IOMMU on for its PCI segment? " + DOCTOR);
        }
        IommuGroup.Partition partition = group.get().partition(gpu, virtualFunctions(gpu));
        Optional<String> shared = groupRefusal(gpu, group.get(), partition.blocking());
        if (shared.isPresent()) {
            return Verdict.refused(shared);
        }
        for (PciFunction along : partition.along()) {
            Optional<String> sound = holders.soundRefusal(gpu, along.address());
            if (sound.isPresent()) {
                return Verdict.refused(sound);
            }
        }
        Optional<String> inUse = onVfio ? Optional.empty() : useRefusal(gpu);
        if (inUse.isPresent()) {
            return Verdict.refused(inUse);
        }
        List<PassthroughRecord.Function> functions = new ArrayList<>();
        functions.add(new PassthroughRecord.Function(gpu, driver.orElse(null)));
        for (PciFunction member : partition.along()) {
            functions.add(new PassthroughRecord.Function(member.address(), member.driver().orElse(null)));
        }
        return new Verdict(Optional.empty(), List.copyOf(functions));
    }

    /** Devices on the GPU, host compute processes, or a holder of the GPU that its driver cannot lock out. */
    private Optional<String> useRefusal(String gpu) {
        List<String> held = devices.on(gpu);
        if (!held.isEmpty()) {
            return Optional.of("GPU " + gpu + " holds " + held.size() + " device(s) (" + String.join(", ", held)
                    + "): passthrough needs an empty GPU");
        }
        List<Long> pids = computeProcesses(gpu);
        if (!pids.isEmpty()) {
            return Optional.of("GPU " + gpu + " runs " + pids.size() + " host compute process(es) (pid "
                    + pids.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + "): passthrough needs a GPU nothing else uses; stop them or choose another GPU");
        }
        return holders.nvidiaRefusalWithoutLock(gpu);
    }

    /** The IOMMU and vfio-pci themselves: without either, nothing can be passed through on this host. */
    private Optional<String> hostRefusal(String gpu) {
        List<String> missing = new ArrayList<>();
        if (sysfs.iommuGroupCount() == 0) {
            missing.add("the IOMMU is off (/sys/kernel/iommu_groups is empty): add intel_iommu=on (amd_iommu=on on AMD) "
                    + "iommu=pt to the kernel command line, enable VT-d / AMD-Vi in the firmware and reboot");
        }
        if (!drivers.isRegistered(PciDrivers.VFIO_PCI)) {
            missing.add("the vfio-pci driver is not loaded (no /sys/bus/pci/drivers/vfio-pci): modprobe vfio-pci, and list "
                    + "vfio, vfio_pci and vfio_iommu_type1 in /etc/modules-load.d/ so they load at boot");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("GPU " + gpu + " cannot be passed through on this host, nothing was touched: "
                + String.join("; and ", missing) + ". " + DOCTOR);
    }

    /** A group shared with another device bound to a driver ({@link IommuGroup.Partition#blocking}). */
    private static Optional<String> groupRefusal(String gpu, IommuGroup group, List<PciFunction> blocking) {
        if (blocking.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("GPU " + gpu + " shares IOMMU group " + group.number() + " with another device: "
                + blocking.stream().map(PciFunction::describe).collect(Collectors.joining(", ")) + "; passing the GPU "
                + "through would take it from the host too, so nothing was touched. Put the GPU (or that device) in another "
                + "slot, or enable ACS on the root port in the firmware, so that the GPU gets a group of its own. " + DOCTOR);
    }

    private List<Long> computeProcesses(String gpu) {
        if (nvml == null || !drivers.isBoundTo(gpu, PciDrivers.NVIDIA)) {
            return List.of();
        }
        try {
            return nvml.computeProcesses(gpu);
        }
        catch (NvmlException e) {
            // NOT_SUPPORTED on GPUs and drivers without per-process accounting: nothing to go on
            return List.of();
        }
    }

    private Set<String> virtualFunctions(String gpu) {
        return sysfs.hasSriov(gpu) ? new HashSet<>(sysfs.virtualFunctions(gpu)) : Set.of();
    }
}
