package io.vgpuhub.web.finance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

import io.vgpuhub.metering.chargeback.MonthSummary;
import io.vgpuhub.metering.chargeback.Subtotal;
import io.vgpuhub.metering.chargeback.TenantTotal;

/**
 * The data of a month's two spend charts, as the page's JSON island carries it to static/js/finance-charts.js: the
 * biggest tenants by total (the rest summed as one "others" bar, so the chart stays readable with many tenants) and
 * the charges per offering. The same figures stand in the page's tables.
 */
record SpendCharts(String currency, Series byTenant, Series byOffering) {

    /** Tenants drawn by name; more than this and the smallest are summed into one bar. */
    static final int TOP_TENANTS = 8;

    /** Labels and amounts in the same order. */
    record Series(String title, List<String> labels, List<BigDecimal> amounts) {
    }

    static SpendCharts of(MonthSummary summary, String tenantTitle, String offeringTitle,
            IntFunction<String> others) {
        List<TenantTotal> biggest = summary.tenants().stream()
                .sorted(Comparator.comparing(TenantTotal::total).reversed()
                        .thenComparing(tenant -> tenant.tenant().name()))
                .toList();
        List<String> tenantLabels = new ArrayList<>();
        List<BigDecimal> tenantAmounts = new ArrayList<>();
        int shown = biggest.size() > TOP_TENANTS ? TOP_TENANTS - 1 : biggest.size();
        for (TenantTotal tenant : biggest.subList(0, shown)) {
            tenantLabels.add(tenant.tenant().name());
            tenantAmounts.add(tenant.total());
        }
        if (shown < biggest.size()) {
            List<TenantTotal> rest = biggest.subList(shown, biggest.size());
            tenantLabels.add(others.apply(rest.size()));
            tenantAmounts.add(rest.stream().map(TenantTotal::total).reduce(BigDecimal.ZERO, BigDecimal::add));
        }
        return new SpendCharts(summary.currency(), new Series(tenantTitle, tenantLabels, tenantAmounts),
                new Series(offeringTitle, summary.byOffering().stream().map(Subtotal::key).toList(),
                        summary.byOffering().stream().map(Subtotal::amount).toList()));
    }
}
