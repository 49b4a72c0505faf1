package io.vgpuhub.metering.chargeback;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * A month's charges computed live from slices, leases and hourly usage, up to {@code asOf}, per tenant (tenants with
 * lines, by name).
 *
 * @param currency the month's currency, null when no rate card was in force in it
 */
public record MonthCharges(YearMonth month, Instant asOf, String currency, List<TenantCharges> tenants) {

    public MonthCharges {
        tenants = List.copyOf(tenants);
    }
}
