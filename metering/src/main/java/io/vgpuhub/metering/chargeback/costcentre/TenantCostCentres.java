package io.vgpuhub.metering.chargeback.costcentre;

import java.util.List;

/** One tenant's root cost centre and the sub cost centres under it, by code. */
public record TenantCostCentres(long tenantId, String tenantName, CostCentre root, List<CostCentre> subs) {

    public TenantCostCentres {
        subs = List.copyOf(subs);
    }

    /** The root first, then the subs: what a slice request may bill to. */
    public List<CostCentre> all() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(root), subs.stream()).toList();
    }
}
