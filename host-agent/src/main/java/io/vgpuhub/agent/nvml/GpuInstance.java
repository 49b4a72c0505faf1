package io.vgpuhub.agent.nvml;

import java.util.List;

/**
 * A GPU instance on a MIG-enabled GPU.
 *
 * @param id GPU-instance ID, unique per GPU
 * @param profileId the GPU-instance profile ID it was created with
 * @param migDeviceUuids the {@code MIG-...} UUIDs of its compute instances (one per compute instance), the names CUDA
 *        and device plugins use; empty while it has no compute instance
 */
public record GpuInstance(int id, int profileId, Placement placement, List<String> migDeviceUuids) {

    public GpuInstance {
        migDeviceUuids = List.copyOf(migDeviceUuids);
    }
}
