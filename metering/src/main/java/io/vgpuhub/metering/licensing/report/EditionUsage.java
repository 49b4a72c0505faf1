package io.vgpuhub.metering.licensing.report;

import java.math.BigDecimal;

import io.vgpuhub.metering.licensing.Edition;

/**
 * One edition's line of a license usage report over a period [from, to).
 *
 * @param peakSeats the most seats held at one instant
 * @param averageSeats seats held, averaged over the period weighted by time, two decimals (half up)
 * @param entitledMax the most seats entitled at one instant
 * @param entitledAtEnd seats entitled at the period's last instant (just before {@code to})
 * @param peakFlagged the most slices running at one instant without a seat (admitted unlicensed)
 */
public record EditionUsage(Edition edition, String name, long peakSeats, BigDecimal averageSeats, long entitledMax,
        long entitledAtEnd, long peakFlagged) {
}
