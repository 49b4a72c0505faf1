package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;

/**
 * A month in finance's list: where it stands and its total.
 *
 * @param closedAt null unless closed
 * @param closedBy the closing user's name, null unless closed
 */
public record MonthOverview(YearMonth month, StatementStatus status, String currency, BigDecimal total,
        Instant closedAt, String closedBy) {
}
