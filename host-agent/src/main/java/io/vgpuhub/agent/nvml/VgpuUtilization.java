package io.vgpuhub.agent.nvml;

/**
 * The latest utilization sample of one vGPU (nvmlDeviceGetVgpuUtilization), in percent of its physical GPU.
 *
 * @param timestampMicros the sample's CPU timestamp in microseconds; pass it back as lastSeen to get only newer samples
 */
public record VgpuUtilization(long instanceId, long timestampMicros, int smPercent, int memoryPercent, int encoderPercent,
        int decoderPercent) {
}
