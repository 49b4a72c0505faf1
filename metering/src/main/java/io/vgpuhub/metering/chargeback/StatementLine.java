package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.UUID;

import io.vgpuhub.metering.licensing.Edition;

/**
 * One slice's charges in one stretch of a month priced by one rate card, for one license edition: allocated time
 * (READY to RELEASED, in whole seconds) at the card's hourly rate for the offering, and license seat time (from the
 * slice's seat leases; a per-GPU seat shared by several slices is split between them) at the card's seat-hour rate
 * for the edition. Amounts follow {@link Money}. A slice's allocated seconds appear on one of its lines per card.
 *
 * @param rateCardId   the card in force, null where none was (the line is unpriced, amounts zero)
 * @param ratePerHour  null where the card has no price for the offering (unpriced, amount zero)
 * @param edition      the seat's edition, null for a slice that held no seat
 * @param seatRatePerHour null where there was no seat time or the card has no price for the edition
 */
public record StatementLine(long sliceId, UUID sliceUuid, String vmName, long offeringId, String offeringCode,
        CostCentreRef costCentre, Long rateCardId, Instant periodStart, Instant periodEnd,
        long allocatedSeconds, BigDecimal ratePerHour, BigDecimal allocationAmount,
        Edition edition, BigDecimal seatSeconds, BigDecimal seatRatePerHour, BigDecimal seatAmount) {

    /** Allocation and seat amounts together. */
    public BigDecimal amount() {
        return allocationAmount.add(seatAmount);
    }

    /** Allocated hours to four decimals, for display only (the amount is computed from the seconds). */
    public BigDecimal hours() {
        return BigDecimal.valueOf(allocatedSeconds).divide(Money.SECONDS_PER_HOUR, 4, RoundingMode.HALF_UP);
    }

    /** Seat-hours to four decimals, for display only. */
    public BigDecimal seatHours() {
        return seatSeconds.divide(Money.SECONDS_PER_HOUR, 4, RoundingMode.HALF_UP);
    }

    /** True when time on this line went unbilled because no price was found for it. */
    public boolean unpriced() {
        return (allocatedSeconds > 0 && ratePerHour == null) || (seatSeconds.signum() > 0 && seatRatePerHour == null);
    }
}
