package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.chargeback.RateSchedule.Stretch;
import io.vgpuhub.metering.chargeback.Rightsizing.Offering;
import io.vgpuhub.metering.chargeback.Rightsizing.PricedLine;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Computes a month's charges live: quantities from {@link ChargeQuery}, prices from a rate schedule, by {@link Money}. */
@Service
public class ChargebackCalculator {

    /** How statement lines are ordered: cost centre path, VM name, period start (then slice and edition, for ties). */
    static final Comparator<StatementLine> LINE_ORDER = Comparator
            .comparing((StatementLine line) -> line.costCentre().path())
            .thenComparing(StatementLine::vmName)
            .thenComparing(StatementLine::periodStart)
            .thenComparingLong(StatementLine::sliceId)
            .thenComparing(line -> line.edition() == null ? "" : line.edition().name());

    private final ChargeQuery query;
    private final Rightsizing rightsizing;

    ChargebackCalculator(ChargeQuery query, Rightsizing rightsizing) {
        this.query = query;
        this.rightsizing = rightsizing;
    }

    /**
     * The month's lines and showback from its start up to {@code asOf} (or its end, whichever is earlier), priced by
     * {@code schedule}, for one tenant or (tenantId null) for every tenant with charges.
     */
    @Transactional(readOnly = true)
    public MonthCharges compute(YearMonth month, Instant asOf, RateSchedule schedule, Long tenantId) {
        Instant end = BillingMonths.end(month);
        Instant until = asOf.isBefore(end) ? asOf : end;
        List<Stretch> stretches = schedule.stretches(month);
        String currency = schedule.currency(month);
        List<ChargeQuery.Row> rows = query.rows(BillingMonths.start(month), until,
                stretches.stream().map(Stretch::start).toList(), tenantId);
        if (rows.isEmpty()) {
            return new MonthCharges(month, until, currency, List.of());
        }
        Map<Long, Offering> offerings = rightsizing.offerings();

        Map<Long, Tenant> tenants = new LinkedHashMap<>();
        for (ChargeQuery.Row row : rows) {
            RateCard card = stretches.get(row.stretch() - 1).card();
            Tenant tenant = tenants.computeIfAbsent(row.tenant().id(), id -> new Tenant(row.tenant()));
            tenant.lines.add(new PricedLine(line(row, card, currency), card));
            tenant.figures.putIfAbsent(row.sliceId(), row);
        }
        List<TenantCharges> charges = tenants.values().stream()
                .sorted(Comparator.comparing((Tenant tenant) -> tenant.ref.name()).thenComparingLong(t -> t.ref.id()))
                .map(tenant -> tenant.charges(offerings, currency))
                .toList();
        return new MonthCharges(month, until, currency, charges);
    }

    static StatementLine line(ChargeQuery.Row row, RateCard card, String currency) {
        BigDecimal zero = Money.scaled(BigDecimal.ZERO, currency);
        BigDecimal rate = card == null ? null : card.offeringPrices().get(row.offeringId());
        BigDecimal allocation = rate == null || row.allocatedSeconds() == 0 ? zero
                : Money.amount(BigDecimal.valueOf(row.allocatedSeconds()), rate, card.currency());
        BigDecimal seatRate = card == null || row.edition() == null || row.seatSeconds().signum() == 0 ? null
                : card.seatPrices().get(row.edition());
        BigDecimal seat = seatRate == null ? zero : Money.amount(row.seatSeconds(), seatRate, card.currency());
        return new StatementLine(row.sliceId(), row.sliceUuid(), row.vmName(), row.offeringId(), row.offeringCode(),
                row.costCentre(), card == null ? null : card.id(), row.periodStart(), row.periodEnd(),
                row.allocatedSeconds(), rate, allocation, row.edition(), row.seatSeconds(), seatRate, seat);
    }

    /** One tenant's lines as they are priced, and the showback figures of each of its slices. */
    private static final class Tenant {

        final TenantRef ref;
        final List<PricedLine> lines = new ArrayList<>();
        final Map<Long, ChargeQuery.Row> figures = new LinkedHashMap<>();

        Tenant(TenantRef ref) {
            this.ref = ref;
        }

        TenantCharges charges(Map<Long, Offering> offerings, String currency) {
            lines.sort(Comparator.comparing(PricedLine::line, LINE_ORDER));
            Map<Long, List<PricedLine>> bySlice = new LinkedHashMap<>();
            lines.forEach(line -> bySlice.computeIfAbsent(line.line().sliceId(), id -> new ArrayList<>()).add(line));
            List<SliceShowback> showback = bySlice.entrySet().stream()
                    .map(slice -> showback(figures.get(slice.getKey()), slice.getValue(), offerings, currency))
                    .toList();
            return new TenantCharges(ref, lines.stream().map(PricedLine::line).toList(), showback);
        }

        private static SliceShowback showback(ChargeQuery.Row figures, List<PricedLine> lines,
                Map<Long, Offering> offerings, String currency) {
            Offering offering = offerings.get(figures.offeringId());
            long samples = figures.samples();
            BigDecimal mean = samples == 0 ? null
                    : BigDecimal.valueOf(figures.utilizationSum()).divide(BigDecimal.valueOf(samples), 2,
                            RoundingMode.HALF_UP);
            RightsizingHint hint = Rightsizing.smallerFor(offering, figures.memoryPeak(), samples, offerings)
                    .flatMap(smaller -> Rightsizing.saving(lines, smaller, currency)
                            .map(saving -> new RightsizingHint(smaller.code(), smaller.framebufferMib(), saving)))
                    .orElse(null);
            return new SliceShowback(figures.sliceId(), samples, mean, samples == 0 ? null : figures.utilizationPeak(),
                    samples == 0 ? null : figures.memoryPeak(), offering.framebufferMib(), hint);
        }
    }
}
