package io.vgpuhub.metering.chargeback.costcentre;

/** A tenant as finance's cost centre list shows it: its root cost centre's code and how many sub cost centres it has. */
public record TenantCostCentreSummary(long tenantId, String tenantName, String rootCode, int subs) {
}
