package io.vgpuhub.metering.chargeback.close;

import java.time.YearMonth;

/**
 * One reason a month cannot be closed now.
 *
 * @param earlierMonth the earlier month still open, for {@link Reason#EARLIER_MONTH_OPEN}; null otherwise
 */
public record CloseRefusal(Reason reason, YearMonth earlierMonth) {

    public enum Reason {
        /** The month has not ended yet: its figures still grow. */
        NOT_ENDED,
        /** The month is closed already; corrections go into an open month as adjustments. */
        ALREADY_CLOSED,
        /** An earlier month with charges or adjustments is still open: months close in order. */
        EARLIER_MONTH_OPEN
    }
}
