package io.vgpuhub.agent.reconcile;

import java.util.UUID;

import io.vgpuhub.agent.nvml.GpuInstance;

/**
 * A MIG slice the agent made (or is making) for the server: where its GPU instance sits. Kept in
 * {@code <stateDir>/mig/<sliceId>.json}; GPU and compute instances never survive a reboot, so this is what
 * {@link Restorer} recreates them from.
 *
 * @param gpuPciAddress the GPU, sysfs form
 * @param profileId the GPU-instance profile ID (per device)
 * @param profileName the profile's name as NVML reports it, e.g. {@code MIG 3g.40gb}
 * @param start first memory slice of the placement
 * @param size memory slices of the placement
 * @param gpuInstanceId the GI ID NVML gave it, or -1 while it is being created (the record is written before the
 *        instance, so that a crash in between leaves an instance the agent recognises as its own)
 */
public record MigRecord(UUID sliceId, String gpuPciAddress, int profileId, String profileName, int start, int size,
        int gpuInstanceId) {

    public MigRecord withGpuInstanceId(int id) {
        return new MigRecord(sliceId, gpuPciAddress, profileId, profileName, start, size, id);
    }

    /** {@code 3g.40gb} for {@code MIG 3g.40gb}. */
    public String shortProfileName() {
        return MigProfiles.shortName(profileName);
    }

    /**
     * Whether the instance is the recorded one: same profile at the same placement. The GI ID is not compared: NVML may
     * give a recreated instance (after a reboot, or a crash before the ID was recorded) another one.
     */
    public boolean matches(GpuInstance instance) {
        return instance.placement().start() == start && instance.profileId() == profileId;
    }

    public String placement() {
        return start + ":" + size;
    }
}
