package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;

/**
 * How a billed slice used its slice in the month, beside its charges (showback): mean and peak GPU utilization and
 * peak framebuffer from its hourly usage. Figures are null when no sample arrived in the month.
 *
 * @param hint null when no smaller offering fits, or there were no samples
 */
public record SliceShowback(long sliceId, long sampleCount, BigDecimal meanUtilization, Integer peakUtilization,
        Integer peakMemoryMib, int framebufferMib, RightsizingHint hint) {
}
