package io.vgpuhub.metering.chargeback.close;

import java.util.List;

import io.vgpuhub.metering.chargeback.CostCentreRef;
import io.vgpuhub.metering.chargeback.TenantRef;

/** A tenant and the cost centres an adjustment may be booked to: its root first, then its sub cost centres by code. */
public record TenantCostCentres(TenantRef tenant, List<CostCentreRef> costCentres) {

    public TenantCostCentres {
        costCentres = List.copyOf(costCentres);
    }
}
