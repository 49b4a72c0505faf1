package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.vgpuhub.metering.chargeback.FrozenStatements.ClosedCharges;
import io.vgpuhub.metering.chargeback.FrozenStatements.ClosedMonth;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Statements as finance and tenants read them: frozen rows for a closed month, computed live otherwise, with the
 * month's adjustments. A month is RUNNING until its end, then OPEN until it is closed.
 */
@Service
public class Statements {

    private final ChargebackCalculator calculator;
    private final RateSchedules schedules;
    private final FrozenStatements frozen;
    private final AdjustmentReader adjustments;
    private final JdbcClient jdbc;
    private final Clock clock;

    Statements(ChargebackCalculator calculator, RateSchedules schedules, FrozenStatements frozen,
            AdjustmentReader adjustments, JdbcClient jdbc, Clock clock) {
        this.calculator = calculator;
        this.schedules = schedules;
        this.frozen = frozen;
        this.adjustments = adjustments;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * One tenant's statement; an empty one when the tenant had nothing in the month.
     *
     * @throws java.util.NoSuchElementException for a tenant that does not exist
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Statement statement(YearMonth month, long tenantId) {
        List<Statement> statements = read(month, tenantId);
        if (!statements.isEmpty()) {
            return statements.get(0);
        }
        Month state = state(month);
        return new Statement(month, new TenantRef(tenantId, tenantName(tenantId)), state.currency(), state.status(),
                state.asOf(), List.of(), List.of(), List.of());
    }

    /** Every tenant with charges or adjustments in the month, by tenant name. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<Statement> statements(YearMonth month) {
        return read(month, null);
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public MonthSummary summary(YearMonth month) {
        Month state = state(month);
        List<Statement> statements = read(month, null);
        Map<String, BigDecimal> byOffering = new TreeMap<>();
        List<TenantTotal> tenants = statements.stream().map(statement -> {
            statement.byOffering().forEach(sum -> byOffering.merge(sum.key(), sum.amount(), BigDecimal::add));
            int slices = (int) statement.lines().stream().mapToLong(StatementLine::sliceId).distinct().count();
            return new TenantTotal(statement.tenant(), statement.charges(), statement.adjustmentsTotal(), slices,
                    statement.unpriced());
        }).toList();
        return new MonthSummary(month, state.currency(), state.status(), state.asOf(), tenants,
                byOffering.entrySet().stream().map(sum -> new Subtotal(sum.getKey(), sum.getValue())).toList());
    }

    /**
     * From the first month with charges or adjustments up to the running month, newest first (just the running month
     * when there is nothing yet). Closed months are summed from their frozen lines, the others computed live.
     */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<MonthOverview> months() {
        Instant now = clock.instant();
        Map<YearMonth, ClosedCharges> closed = frozen.closedMonths();
        RateSchedule schedule = schedules.current();
        Map<YearMonth, BigDecimal> adjusted = adjustmentTotals();
        List<MonthOverview> months = new ArrayList<>();
        for (YearMonth month : span(BillingMonths.of(now), closed.keySet().stream().findFirst())) {
            BigDecimal adjustment = adjusted.getOrDefault(month, BigDecimal.ZERO);
            ClosedCharges close = closed.get(month);
            if (close != null) {
                ClosedMonth c = close.close();
                months.add(new MonthOverview(month, StatementStatus.CLOSED, c.currency(),
                        Money.atLeastMinorUnit(close.charges().add(adjustment), c.currency()), c.closedAt(),
                        c.closedBy()));
            } else {
                MonthCharges charges = calculator.compute(month, now, schedule, null);
                BigDecimal total = charges.tenants().stream().flatMap(t -> t.lines().stream())
                        .map(StatementLine::amount).reduce(Money.scaled(BigDecimal.ZERO, charges.currency()),
                                BigDecimal::add);
                months.add(new MonthOverview(month, live(month, now), charges.currency(),
                        Money.atLeastMinorUnit(total.add(adjustment), charges.currency()), null, null));
            }
        }
        return months;
    }

    /**
     * The months {@link #months()} lists, newest first, without computing any of them: for pages that only need the
     * span (a tenant's own statements).
     */
    @Transactional(readOnly = true)
    public List<YearMonth> monthSpan() {
        return span(BillingMonths.of(clock.instant()), frozen.closedMonths().keySet().stream().findFirst());
    }

    /** From the current month back to the first with charges, adjustments or a close. */
    private List<YearMonth> span(YearMonth current, Optional<YearMonth> firstClosed) {
        YearMonth first = Stream.of(firstChargedMonth(), adjustments.firstMonth(), firstClosed)
                .flatMap(Optional::stream).min(Comparator.naturalOrder()).orElse(current);
        List<YearMonth> span = new ArrayList<>();
        for (YearMonth month = current; !month.isBefore(first); month = month.minusMonths(1)) {
            span.add(month);
        }
        return span;
    }

    /** The month's statements, one tenant's or (tenantId null) every tenant's with charges or adjustments. */
    private List<Statement> read(YearMonth month, Long tenantId) {
        Optional<ClosedMonth> close = frozen.closed(month);
        Map<Long, TenantCharges> charges;
        Month state;
        if (close.isPresent()) {
            state = new Month(StatementStatus.CLOSED, close.get().currency(), BillingMonths.end(month));
            charges = frozen.charges(close.get(), tenantId);
        } else {
            Instant now = clock.instant();
            MonthCharges live = calculator.compute(month, now, schedules.current(), tenantId);
            state = new Month(live(month, now), live.currency(), live.asOf());
            charges = live.tenants().stream().collect(Collectors.toMap(t -> t.tenant().id(), t -> t,
                    (a, b) -> a, LinkedHashMap::new));
        }
        Map<Long, List<Adjustment>> booked = adjustments.of(month, tenantId, state.currency()).stream()
                .collect(Collectors.groupingBy(Adjustment::tenantId, LinkedHashMap::new, Collectors.toList()));
        Set<Long> tenants = new HashSet<>(charges.keySet());
        tenants.addAll(booked.keySet());
        Map<Long, String> names = tenantNames(month, tenants.stream().filter(id -> !charges.containsKey(id)).toList());
        return tenants.stream().map(id -> {
            TenantCharges tenant = charges.get(id);
            TenantRef ref = tenant != null ? tenant.tenant() : new TenantRef(id, names.get(id));
            return new Statement(month, ref, state.currency(), state.status(), state.asOf(),
                    tenant == null ? List.of() : tenant.lines(), tenant == null ? List.of() : tenant.showback(),
                    booked.getOrDefault(id, List.of()));
        }).sorted(Comparator.comparing((Statement s) -> s.tenant().name()).thenComparingLong(s -> s.tenant().id()))
                .toList();
    }

    /** Where the month stands, without computing it. */
    private Month state(YearMonth month) {
        Optional<ClosedMonth> close = frozen.closed(month);
        if (close.isPresent()) {
            return new Month(StatementStatus.CLOSED, close.get().currency(), BillingMonths.end(month));
        }
        Instant now = clock.instant();
        Instant end = BillingMonths.end(month);
        return new Month(live(month, now), schedules.current().currency(month), now.isBefore(end) ? now : end);
    }

    private static StatementStatus live(YearMonth month, Instant now) {
        return now.isBefore(BillingMonths.end(month)) ? StatementStatus.RUNNING : StatementStatus.OPEN;
    }

    /** The month of the first allocated second or held seat. */
    private Optional<YearMonth> firstChargedMonth() {
        Optional<OffsetDateTime> hour = jdbc.sql(
                "select hour from usage_hourly where seconds_allocated > 0 order by hour limit 1")
                .query(OffsetDateTime.class).optional();
        Optional<OffsetDateTime> seat = jdbc.sql(
                "select acquired_at from license_lease where holds_seat order by acquired_at limit 1")
                .query(OffsetDateTime.class).optional();
        return Stream.of(hour, seat).flatMap(Optional::stream).map(at -> BillingMonths.of(at.toInstant()))
                .min(Comparator.naturalOrder());
    }

    private Map<YearMonth, BigDecimal> adjustmentTotals() {
        Map<YearMonth, BigDecimal> totals = new LinkedHashMap<>();
        jdbc.sql("select month, sum(amount) from billing_adjustment group by month")
                .query(rs -> {
                    totals.put(YearMonth.from(rs.getObject(1, LocalDate.class)), rs.getBigDecimal(2));
                });
        return totals;
    }

    private String tenantName(long tenantId) {
        return jdbc.sql("select name from tenant where id = ?").param(tenantId).query(String.class).optional()
                .orElseThrow(() -> new java.util.NoSuchElementException("no tenant " + tenantId));
    }

    /** Names of tenants with only adjustments in the month: as frozen at its close, else as they stand. */
    private Map<Long, String> tenantNames(YearMonth month, List<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> names = new LinkedHashMap<>();
        jdbc.sql("""
                select t.id, coalesce((select max(a.frozen_tenant_name) from billing_adjustment a
                                       where a.month = :month and a.tenant_id = t.id), t.name)
                from tenant t where t.id = any(cast(:ids as bigint[]))
                """).param("month", BillingMonths.firstDay(month))
                .param("ids", ids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}")), Types.VARCHAR)
                .query(rs -> {
                    names.put(rs.getLong(1), rs.getString(2));
                });
        return names;
    }

    /** A month's status, currency and the instant its figures run up to. */
    private record Month(StatementStatus status, String currency, Instant asOf) {
    }
}
