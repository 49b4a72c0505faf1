package io.vgpuhub.web.finance.ratecards;

import java.math.BigDecimal;

import io.vgpuhub.metering.chargeback.TenantRef;

/** A tenant's charges for a month as computed now, and recomputed as if a draft card had priced it. */
record TenantWhatIf(TenantRef tenant, BigDecimal now, BigDecimal withCard) {

    public BigDecimal difference() {
        return withCard.subtract(now);
    }
}
