package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;

/**
 * A correction booked into a month by finance, with its reason: a charge (positive) or a credit (negative).
 *
 * @param correctsMonth the earlier (closed) month it corrects, or null
 */
public record Adjustment(long id, YearMonth month, long tenantId, CostCentreRef costCentre, BigDecimal amount,
        String reason, YearMonth correctsMonth, String createdBy, Instant createdAt) {
}
