package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One tenant's chargeback for one month: its lines (by cost centre path, VM name, period), the slices' showback, and
 * the adjustments booked into the month. Every subtotal and the total are sums of the rounded amounts.
 *
 * @param currency the month's currency, null when no rate card was in force in it
 * @param asOf     the instant the figures run up to: the month's end once it has ended, now while it runs
 */
public record Statement(YearMonth month, TenantRef tenant, String currency, StatementStatus status, Instant asOf,
        List<StatementLine> lines, List<SliceShowback> showback, List<Adjustment> adjustments) {

    public Statement {
        lines = List.copyOf(lines);
        showback = List.copyOf(showback);
        adjustments = List.copyOf(adjustments);
    }

    /** Sum of the line amounts. */
    public BigDecimal charges() {
        return sum(lines, StatementLine::amount);
    }

    /** Sum of the adjustments. */
    public BigDecimal adjustmentsTotal() {
        return sum(adjustments, Adjustment::amount);
    }

    public BigDecimal total() {
        return charges().add(adjustmentsTotal());
    }

    /** Line amounts per offering code, by code. */
    public List<Subtotal> byOffering() {
        Map<String, BigDecimal> sums = new TreeMap<>();
        lines.forEach(line -> sums.merge(line.offeringCode(), line.amount(), BigDecimal::add));
        return subtotals(sums);
    }

    /** Line and adjustment amounts per cost centre path, by path; they add up to the total. */
    public List<Subtotal> byCostCentre() {
        Map<String, BigDecimal> sums = new TreeMap<>();
        lines.forEach(line -> sums.merge(line.costCentre().path(), line.amount(), BigDecimal::add));
        adjustments.forEach(adjustment -> sums.merge(adjustment.costCentre().path(), adjustment.amount(), BigDecimal::add));
        return subtotals(sums);
    }

    /** True when some time in the month went unbilled for want of a price. */
    public boolean unpriced() {
        return lines.stream().anyMatch(StatementLine::unpriced);
    }

    private static List<Subtotal> subtotals(Map<String, BigDecimal> sums) {
        return sums.entrySet().stream().map(sum -> new Subtotal(sum.getKey(), sum.getValue())).toList();
    }

    private static <T> BigDecimal sum(List<T> items, Function<T, BigDecimal> amount) {
        return items.stream().map(amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
