package io.vgpuhub.metering.chargeback;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** Billing months are UTC calendar months: they start at 00:00 UTC on the first. */
public final class BillingMonths {

    private BillingMonths() {
    }

    public static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The first instant after the month (exclusive end). */
    public static Instant end(YearMonth month) {
        return start(month.plusMonths(1));
    }

    public static YearMonth of(Instant instant) {
        return YearMonth.from(instant.atZone(ZoneOffset.UTC));
    }

    /** The month as its first day, the form the {@code month date} columns hold. */
    public static LocalDate firstDay(YearMonth month) {
        return month.atDay(1);
    }
}
