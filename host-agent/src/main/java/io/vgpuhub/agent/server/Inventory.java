package io.vgpuhub.agent.server;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.vgpuhub.agent.doctor.Readiness;

/**
 * Body of {@code PUT /api/agent/v1/inventory}.
 *
 * @param foreignDevices devices on the host that this agent did not create (it never removes them): mdevs, vGPU types
 *        on VFs, GPUs bound to vfio-pci by hand
 * @param readiness the host readiness checks ({@code vgpuhub-agent doctor}); left out (null) when they could not run
 */
public record Inventory(String hostname, String agentVersion, List<Gpu> gpus, List<String> foreignDevices,
        @JsonInclude(JsonInclude.Include.NON_NULL) Readiness readiness) {

    /** An inventory without readiness checks, as agents before them reported it. */
    public Inventory(String hostname, String agentVersion, List<Gpu> gpus, List<String> foreignDevices) {
        this(hostname, agentVersion, gpus, foreignDevices, null);
    }

    /**
     * One physical GPU. Fields the agent cannot read are left out of the JSON (null), never guessed.
     *
     * @param mode {@code MIG} when MIG is enabled, {@code PASSTHROUGH} when bound to vfio-pci, {@code VGPU} with mdev or
     *        vendor-VFIO capable VFs, else {@code PASSTHROUGH}
     * @param virtualFunctions the enabled VFs, in virtfn order
     * @param sriov whether the GPU has SR-IOV ({@code sriov_totalvfs} > 0)
     * @param migCapable whether NVML answers MIG queries for it
     * @param vgpuTypes the vGPU types NVML supports on it; null when NVML cannot say (GPU bound to vfio-pci)
     * @param migProfiles MIG-capable GPUs only: the GPU-instance profiles NVML reports, with their placements. NVML
     *        reports them only while MIG is enabled, so while it is off this is null (unknown), not empty
     * @param migInstances MIG-capable GPUs only: the GPU instances now (empty while MIG is off)
     * @param passthroughBound whether the GPU is bound to vfio-pci (by this agent or by hand)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gpu(String pciAddress, String uuid, String name, long memoryMib, String mode, List<String> virtualFunctions,
            Boolean sriov, Boolean migCapable, List<VgpuType> vgpuTypes, List<MigProfile> migProfiles,
            List<MigInstance> migInstances, boolean passthroughBound) {

        /** The fields of agents before the vGPU, MIG and passthrough facts. */
        public Gpu(String pciAddress, String uuid, String name, long memoryMib, String mode, List<String> virtualFunctions) {
            this(pciAddress, uuid, name, memoryMib, mode, virtualFunctions, null, null, null, null, null, false);
        }
    }

    /** @param name the type's name, last token only (NVML's {@code NVIDIA A40-8Q} is {@code A40-8Q}) */
    public record VgpuType(String name, long framebufferMib, int maxInstances) {
    }

    /**
     * A GPU-instance profile.
     *
     * @param name e.g. {@code 3g.40gb}
     * @param profileId NVML's profile ID (per device)
     * @param memorySlices the placement size
     * @param startSlots where an instance may start
     * @param maxInstances the most instances of the profile one GPU holds
     */
    public record MigProfile(String name, int profileId, int memorySlices, List<Integer> startSlots, int maxInstances,
            long memoryMib) {
    }

    /** A GPU instance: its profile ({@code 3g.40gb}), placement and the {@code MIG-...} UUID of its MIG device (null without one). */
    public record MigInstance(String profile, int startSlot, int size, String deviceUuid) {
    }
}
