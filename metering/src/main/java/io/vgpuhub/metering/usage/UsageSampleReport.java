package io.vgpuhub.metering.usage;

import java.time.Instant;

/**
 * One sample of a slice as reported by its host agent; {@code sliceId} is already resolved by the caller.
 * {@code licenseState} is the guest's vGPU license state as NVML reports it, or null.
 */
public record UsageSampleReport(long sliceId, Instant sampledAt, int gpuUtilizationPercent, int memoryUsedMib,
        String licenseState) {
}
