package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * Every tenant's totals for a month (tenants with charges or adjustments, by name) and the month's charges per
 * offering, for finance's summary and its charts.
 */
public record MonthSummary(YearMonth month, String currency, StatementStatus status, Instant asOf,
        List<TenantTotal> tenants, List<Subtotal> byOffering) {

    public MonthSummary {
        tenants = List.copyOf(tenants);
        byOffering = List.copyOf(byOffering);
    }

    public BigDecimal total() {
        return tenants.stream().map(TenantTotal::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
