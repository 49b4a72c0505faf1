package io.vgpuhub.metering.usage;

import java.time.Instant;

/** One sample of a slice as reported by its host agent; {@code sliceId} is already resolved by the caller. */
public record UsageSampleReport(long sliceId, Instant sampledAt, int gpuUtilizationPercent, int memoryUsedMib) {
}
