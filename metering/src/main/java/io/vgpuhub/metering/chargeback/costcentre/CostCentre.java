package io.vgpuhub.metering.chargeback.costcentre;

import io.vgpuhub.metering.chargeback.CostCentreRef;

/**
 * A tenant's cost centre: its root (made with the tenant, {@code parentId} null) or a sub cost centre under it.
 *
 * @param liveSlices slices billing to it that are not released or failed
 */
public record CostCentre(long id, long tenantId, String code, String name, Long parentId, String parentCode,
        long liveSlices) {

    public boolean root() {
        return parentId == null;
    }

    /** As statements name it ("ROOT/SUB"). */
    public CostCentreRef ref() {
        return new CostCentreRef(id, code, name, parentCode);
    }
}
