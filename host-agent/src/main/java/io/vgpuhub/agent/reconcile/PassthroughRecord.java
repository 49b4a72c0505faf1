package io.vgpuhub.agent.reconcile;

import java.util.UUID;

/**
 * A whole GPU the agent passed through (or is passing through) for a slice: bound to vfio-pci through
 * {@code driver_override}. Kept in {@code <stateDir>/passthrough/<sliceId>.json}, written before the binding so that a
 * binding the agent made is always recognised as its own, and so that {@code restore} binds the GPU again after a reboot
 * (driver_override does not survive one). A GPU bound to vfio-pci without a record was bound by someone else and is
 * never unbound by the agent.
 *
 * @param gpuPciAddress the GPU, sysfs form
 * @param uuid NVML's {@code GPU-...} UUID, read before the binding (NVML no longer sees the GPU after it); null when
 *        NVML did not know the GPU
 * @param name NVML's name, e.g. {@code NVIDIA H100 PCIe}; null likewise
 * @param memoryMib NVML's total memory; 0 likewise
 * @param vfsBefore how many SR-IOV VFs were enabled before the agent disabled them for the binding; enabled again when
 *        the GPU goes back to nvidia
 */
public record PassthroughRecord(UUID sliceId, String gpuPciAddress, String uuid, String name, long memoryMib, int vfsBefore) {
}
