package io.vgpuhub.web.inventory;

import java.util.List;

import io.vgpuhub.web.catalog.SliceKind;

/**
 * A GPU as the host agent discovered it. The nullable fields are the ones older agents do not send: null means "not
 * reported", and the server then keeps what it knew.
 *
 * @param mode             the mode the agent found the GPU in (not necessarily the one the operator wants)
 * @param sriov            whether vGPUs need a VF each; null: true for a GPU seen the first time
 * @param vgpuTypes        the time-sliced vGPU types the driver offers on this GPU
 * @param migProfiles      the MIG GPU-instance profiles the driver offers on this GPU
 * @param migInstances     the MIG GPU instances that exist on this GPU now
 * @param passthroughBound whether the GPU is bound to vfio-pci for passthrough
 */
public record ReportedGpu(String pciAddress, String uuid, String name, int memoryMib, SliceKind mode,
        List<String> virtualFunctions, Boolean sriov, Boolean migCapable, List<VgpuType> vgpuTypes,
        List<MigProfile> migProfiles, List<MigInstance> migInstances, Boolean passthroughBound) {

    /** What an agent that knows nothing beyond identity, mode and VFs reports. */
    public ReportedGpu(String pciAddress, String uuid, String name, int memoryMib, SliceKind mode,
            List<String> virtualFunctions) {
        this(pciAddress, uuid, name, memoryMib, mode, virtualFunctions, null, null, null, null, null, null);
    }

    /** The catalog's model name for this GPU, e.g. "A100-80GB" for "NVIDIA A100 80GB PCIe". */
    public String model() {
        return GpuModels.catalogModel(name, memoryMib);
    }

    /** @param name e.g. {@code A40-8Q} */
    public record VgpuType(String name, int framebufferMib, int maxInstances) {
    }

    /** @param name e.g. {@code 3g.40gb}; @param startSlots the memory slices an instance may start at */
    public record MigProfile(String name, Integer profileId, int memorySlices, List<Integer> startSlots, int maxInstances,
            int memoryMib) {
    }

    /** @param deviceUuid the MIG device's UUID, null while the instance has no compute instance */
    public record MigInstance(String profile, int startSlot, int size, String deviceUuid) {
    }
}
