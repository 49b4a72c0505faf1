package io.vgpuhub.agent.reconcile;

import java.util.List;
import java.util.UUID;

import io.vgpuhub.agent.sysfs.PciDrivers;

/**
 * A whole GPU the agent passed through (or is passing through) for a slice: the GPU and the other functions of its
 * IOMMU group that belong to the same device (its HD audio function), each bound to vfio-pci through
 * {@code driver_override}. Kept in {@code <stateDir>/passthrough/<sliceId>.json}, written before the binding so that a
 * binding the agent made is always recognised as its own, so that each function goes back to the driver it had, and so
 * that {@code restore} binds them again after a reboot (driver_override does not survive one). A GPU bound to vfio-pci
 * without a record was bound by someone else and is never unbound by the agent.
 *
 * @param gpuPciAddress the GPU, sysfs form
 * @param uuid NVML's {@code GPU-...} UUID, read before the binding (NVML no longer sees the GPU after it); null when
 *        NVML did not know the GPU
 * @param name NVML's name, e.g. {@code NVIDIA H100 PCIe}; null likewise
 * @param memoryMib NVML's total memory; 0 likewise
 * @param vfsBefore how many SR-IOV VFs were enabled before the agent disabled them for the binding; enabled again when
 *        the GPU goes back to nvidia
 * @param functions what is bound to vfio-pci, the GPU first, each with its driver before; records written before the
 *        agent bound whole groups lack it and read as the GPU alone on nvidia
 */
public record PassthroughRecord(UUID sliceId, String gpuPciAddress, String uuid, String name, long memoryMib, int vfsBefore,
        List<Function> functions) {

    /** One PCI function of the passthrough and the driver it was bound to before (null when none). */
    public record Function(String address, String driver) {
    }

    public PassthroughRecord {
        functions = functions == null || functions.isEmpty() ? List.of(new Function(gpuPciAddress, PciDrivers.NVIDIA))
                : List.copyOf(functions);
    }

    /** The GPU alone, from nvidia. */
    public PassthroughRecord(UUID sliceId, String gpuPciAddress, String uuid, String name, long memoryMib, int vfsBefore) {
        this(sliceId, gpuPciAddress, uuid, name, memoryMib, vfsBefore, null);
    }

    /** The addresses of {@link #functions}, the GPU first. */
    public List<String> addresses() {
        return functions.stream().map(Function::address).toList();
    }
}
