package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;

/** One tenant's line of a month's summary. */
public record TenantTotal(TenantRef tenant, BigDecimal charges, BigDecimal adjustments, int slices, boolean unpriced) {

    public BigDecimal total() {
        return charges.add(adjustments);
    }
}
