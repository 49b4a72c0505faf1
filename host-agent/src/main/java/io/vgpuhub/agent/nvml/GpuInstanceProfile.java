package io.vgpuhub.agent.nvml;

/**
 * A GPU-instance profile as nvmlDeviceGetGpuInstanceProfileInfoV reports it.
 *
 * @param index the NVML_GPU_INSTANCE_PROFILE_* index it was read at
 * @param id the profile ID (per device; the "ID" column of {@code nvidia-smi mig -lgip}), what create and placements take
 * @param name e.g. {@code MIG 1g.5gb}
 * @param sliceCount compute slices
 * @param instanceCount the most instances of this profile a GPU can hold
 */
public record GpuInstanceProfile(int index, int id, String name, int sliceCount, int instanceCount,
        int multiprocessorCount, long memoryMib, int copyEngineCount, int decoderCount, int encoderCount, int jpegCount,
        int ofaCount) {
}
