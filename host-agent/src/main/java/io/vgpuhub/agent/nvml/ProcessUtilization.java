package io.vgpuhub.agent.nvml;

/**
 * One nvmlDeviceGetProcessUtilization sample of a process on a physical GPU; figures in percent over the sample.
 *
 * @param timestampMicros CPU time of the sample in microseconds; pass the newest as the next call's lastSeenMicros
 */
public record ProcessUtilization(long pid, long timestampMicros, int smPercent, int memoryPercent, int encoderPercent,
        int decoderPercent) {
}
