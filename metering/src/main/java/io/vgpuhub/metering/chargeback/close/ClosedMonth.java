package io.vgpuhub.metering.chargeback.close;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;

/**
 * What a close froze: the month's currency (null when nothing was priced), how many tenants and lines, and the sum of
 * the frozen line amounts (adjustments booked into the month come on top).
 */
public record ClosedMonth(YearMonth month, String currency, int tenants, int lines, BigDecimal charges,
        Instant closedAt) {
}
