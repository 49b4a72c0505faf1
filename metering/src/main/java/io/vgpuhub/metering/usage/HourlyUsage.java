package io.vgpuhub.metering.usage;

import java.time.Instant;

/**
 * One slice's usage in one UTC hour, from the hourly rollup (kept after raw samples are dropped).
 *
 * @param secondsAllocated     seconds of the hour the slice was allocated (READY until released)
 * @param sampleCount          usage samples received for the hour
 * @param meanUtilization      mean GPU utilization of those samples in percent; null without samples
 * @param peakUtilization      highest GPU utilization sampled in percent; null without samples
 * @param peakMemoryMib        highest framebuffer use sampled; null without samples
 */
public record HourlyUsage(long sliceId, Instant hour, int secondsAllocated, int sampleCount, Double meanUtilization,
        Integer peakUtilization, Integer peakMemoryMib) {
}
