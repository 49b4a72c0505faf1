package io.vgpuhub.metering.chargeback.close;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.ChargebackCalculator;
import io.vgpuhub.metering.chargeback.MonthCharges;
import io.vgpuhub.metering.chargeback.RateSchedules;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.chargeback.StatementStatus;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.metering.chargeback.close.CloseFixtures.Slice;
import io.vgpuhub.metering.chargeback.close.CloseRefusal.Reason;
import io.vgpuhub.metering.usage.allocation.AllocationRollup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Closing a month: what it freezes, that nothing later changes it, and when it is refused. */
@MonthCloseTest
class MonthCloseTests {

    @Autowired
    MonthClose close;

    @Autowired
    Statements statements;

    @Autowired
    ChargebackCalculator calculator;

    @Autowired
    RateSchedules schedules;

    @Autowired
    AllocationRollup rollup;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SettableClock clock;

    CloseFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new CloseFixtures(jdbc, close, clock);
    }

    @Test
    void aClosedMonthStaysAsItWasClosedWhateverHappensLater() {
        YearMonth month = fixtures.freshMonths(2);
        Instant start = BillingMonths.start(month);
        Instant end = BillingMonths.end(month);
        fixtures.rateCard(month, "EUR", "2.5000", "0.4000");
        long tenant = fixtures.tenant("Frozen");
        long research = fixtures.subCostCentre(tenant, "RESEARCH");
        Slice done = fixtures.slice(tenant, research, start.plus(Duration.ofHours(10)), start.plus(Duration.ofDays(20)));
        fixtures.seat(done, start.plus(Duration.ofHours(10)), start.plus(Duration.ofDays(20)));
        fixtures.samples(done, start.plus(Duration.ofHours(11)), 60, 40, 70, 4096);
        Slice running = fixtures.slice(tenant, null, start.plus(Duration.ofDays(25)), null);
        fixtures.now(end.plus(Duration.ofMinutes(30)));
        close.close(month, fixtures.financeUser());
        Statement closed = statements.statement(month, tenant);
        List<Map<String, Object>> lines = fixtures.frozenLines(month);
        List<Map<String, Object>> showback = fixtures.frozenShowback(month);

        // A late sample, a card dated back into the month, a new name, and a release dated in the month but
        // recorded after the close (the rollup takes it back within its margin).
        fixtures.samples(done, start.plus(Duration.ofHours(12)), 60, 95, 100, 40000);
        fixtures.rateCard(month.atDay(15).toString(), "EUR", "9.0000", "1.0000");
        fixtures.renameTenant(tenant, "Renamed");
        fixtures.release(running, end.minus(Duration.ofMinutes(15)));
        fixtures.now(end.plus(Duration.ofMinutes(40)));
        rollup.run(end.plus(Duration.ofMinutes(40)));

        assertThat(statements.statement(month, tenant)).isEqualTo(closed);
        assertThat(statements.statements(month)).contains(closed);
        assertThat(fixtures.frozenLines(month)).isEqualTo(lines);
        assertThat(fixtures.frozenShowback(month)).isEqualTo(showback);
        assertThat(closed.status()).isEqualTo(StatementStatus.CLOSED);
        assertThat(closed.tenant().name()).startsWith("Frozen ");
        // The later events do matter to a live computation, so the equalities above are the freeze's doing.
        MonthCharges live = calculator.compute(month, end, schedules.current(), tenant);
        assertThat(live.tenants().get(0).tenant().name()).startsWith("Renamed ");
        assertThat(total(live)).isNotEqualByComparingTo(closed.charges());
    }

    @Test
    void aClosedMonthsAdjustmentsKeepTheNamesTheyWereClosedWith() {
        YearMonth month = fixtures.freshMonths(2);
        Instant start = BillingMonths.start(month);
        fixtures.rateCard(month, "EUR", "2.5000", "0.4000");
        long billed = fixtures.tenant("Billed");
        long lab = fixtures.subCostCentre(billed, "LAB");
        fixtures.slice(billed, null, start.plus(Duration.ofHours(1)), start.plus(Duration.ofHours(5)));
        long creditedOnly = fixtures.tenant("Credited");
        String insert = """
                insert into billing_adjustment (month, tenant_id, cost_centre_id, amount, reason, created_by)
                values (?, ?, ?, ?, 'Outage credit', ?)""";
        jdbc.sql(insert).params(BillingMonths.firstDay(month), billed, lab, -3, fixtures.financeUser()).update();
        jdbc.sql(insert).params(BillingMonths.firstDay(month), creditedOnly, fixtures.root(creditedOnly), -4,
                fixtures.financeUser()).update();
        fixtures.now(BillingMonths.end(month).plus(Duration.ofMinutes(30)));
        close.close(month, fixtures.financeUser());
        Statement billedClosed = statements.statement(month, billed);
        Statement creditedClosed = statements.statement(month, creditedOnly);

        jdbc.sql("update cost_centre set code = 'LAB-2', name = 'Renamed lab' where id = ?").param(lab).update();
        jdbc.sql("update cost_centre set code = code || '-X' where tenant_id = ? and parent_id is null").param(billed).update();
        fixtures.renameTenant(creditedOnly, "Renamed credit");

        assertThat(statements.statement(month, billed)).isEqualTo(billedClosed);
        assertThat(statements.statement(month, creditedOnly)).isEqualTo(creditedClosed);
        assertThat(billedClosed.adjustments()).singleElement()
                .satisfies(adjustment -> assertThat(adjustment.costCentre().code()).isEqualTo("LAB"));
        assertThat(creditedClosed.tenant().name()).startsWith("Credited");
        assertThat(creditedClosed.lines()).isEmpty();
    }

    @Test
    void closingFreezesTheStatementAsItStoodLineForLine() {
        YearMonth month = fixtures.freshMonths(2);
        Instant start = BillingMonths.start(month);
        fixtures.rateCard(month, "EUR", "1.2345", "0.3333");
        long tenant = fixtures.tenant("Lines");
        long sub = fixtures.subCostCentre(tenant, "OPS");
        for (int i = 0; i < 4; i++) {
            Slice slice = fixtures.slice(tenant, i % 2 == 0 ? sub : null, start.plus(Duration.ofHours(1 + i * 7L)),
                    start.plus(Duration.ofHours(50 + i * 13L)).plusSeconds(17));
            fixtures.seat(slice, start.plus(Duration.ofHours(1 + i * 7L)), start.plus(Duration.ofHours(30 + i)));
        }
        fixtures.now(BillingMonths.end(month).plus(Duration.ofDays(2)));
        rollup.run(BillingMonths.end(month).plus(Duration.ofDays(2)));
        Statement open = statements.statement(month, tenant);
        assertThat(open.status()).isEqualTo(StatementStatus.OPEN);

        ClosedMonth closedMonth = close.close(month, fixtures.financeUser());

        Statement closed = statements.statement(month, tenant);
        assertThat(closed.status()).isEqualTo(StatementStatus.CLOSED);
        assertThat(closed.lines()).isEqualTo(open.lines()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(closed.showback()).isEqualTo(open.showback());
        assertThat(closed.total()).isEqualByComparingTo(open.total());
        assertThat(closed.currency()).isEqualTo("EUR");
        assertThat(closedMonth.currency()).isEqualTo("EUR");
        assertThat(closedMonth.charges()).isGreaterThanOrEqualTo(closed.charges()).isPositive();
        assertThat(fixtures.frozenLines(month).stream().filter(row -> row.get("tenant_id").equals(tenant))
                .map(row -> row.get("line_no")))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, closed.lines().size()).boxed().toList());
        assertThat(jdbc.sql("select currency, closed_by from billing_month where month = ?")
                .param(BillingMonths.firstDay(month)).query().singleRow())
                .containsEntry("currency", "EUR").containsEntry("closed_by", fixtures.financeUser());
    }

    @Test
    void closingRunsTheAllocationRollupSoTheLastHoursAreBilled() {
        YearMonth month = fixtures.freshMonths(2);
        Instant end = BillingMonths.end(month);
        fixtures.rateCard(month, "EUR", "3.6000", "0");
        long tenant = fixtures.tenant("Late hours");
        // Nothing has rolled these hours up before the close.
        fixtures.slice(tenant, null, end.minus(Duration.ofHours(5)), end.minus(Duration.ofHours(1)));
        fixtures.now(end.plus(Duration.ofMinutes(5)));

        close.close(month, fixtures.financeUser());

        Statement closed = statements.statement(month, tenant);
        assertThat(closed.lines()).extracting(StatementLine::allocatedSeconds).containsExactly(4 * 3600L);
        assertThat(closed.charges()).isEqualByComparingTo("14.40");
    }

    @Test
    void aMonthThatHasNotEndedCannotBeClosed() {
        YearMonth month = fixtures.freshMonths(1);
        long tenant = fixtures.tenant("Running");
        fixtures.slice(tenant, null, BillingMonths.start(month).plusSeconds(60), BillingMonths.start(month).plusSeconds(7200));
        fixtures.now(BillingMonths.end(month).minusSeconds(1));

        assertThat(close.check(month).refusals()).containsExactly(new CloseRefusal(Reason.NOT_ENDED, null));
        MonthCloseRefusedException refused = catchThrowableOfType(MonthCloseRefusedException.class,
                () -> close.close(month, fixtures.financeUser()));

        assertThat(refused.check().refuses(Reason.NOT_ENDED)).isTrue();
        assertThat(fixtures.closed(month)).isFalse();
        assertThat(fixtures.frozenLines(month)).isEmpty();
    }

    @Test
    void monthsCloseInOrderAndOnce() {
        YearMonth first = fixtures.freshMonths(4);
        YearMonth second = first.plusMonths(1);
        YearMonth fourth = first.plusMonths(3);
        fixtures.rateCard(first, "EUR", "1", "0");
        long tenant = fixtures.tenant("Order");
        fixtures.slice(tenant, null, BillingMonths.start(first).plusSeconds(3600), BillingMonths.start(first).plusSeconds(7200));
        fixtures.slice(tenant, null, BillingMonths.start(second).plusSeconds(3600), BillingMonths.start(second).plusSeconds(7200));
        fixtures.slice(tenant, null, BillingMonths.start(fourth).plusSeconds(3600), BillingMonths.start(fourth).plusSeconds(7200));
        fixtures.now(BillingMonths.end(fourth).plusSeconds(60));

        assertThat(close.check(second).refusals()).containsExactly(new CloseRefusal(Reason.EARLIER_MONTH_OPEN, first));
        catchThrowableOfType(MonthCloseRefusedException.class, () -> close.close(second, fixtures.financeUser()));
        assertThat(fixtures.closed(second)).isFalse();

        close.close(first, fixtures.financeUser());
        close.close(second, fixtures.financeUser());
        // The third month had nothing in it, so it does not hold the fourth back.
        assertThat(close.check(fourth).canClose()).isTrue();
        close.close(fourth, fixtures.financeUser());

        assertThat(close.check(second).refusals()).containsExactly(new CloseRefusal(Reason.ALREADY_CLOSED, null));
        MonthCloseRefusedException again = catchThrowableOfType(MonthCloseRefusedException.class,
                () -> close.close(second, fixtures.financeUser()));
        assertThat(again.check().refuses(Reason.ALREADY_CLOSED)).isTrue();
        assertThat(fixtures.frozenLines(second)).hasSize(1);
    }

    @Test
    void aSliceRunningAcrossMonthsKeepsEveryOneOfThemOpenUntilClosed() {
        YearMonth first = fixtures.freshMonths(3);
        YearMonth third = first.plusMonths(2);
        long tenant = fixtures.tenant("Long runner");
        fixtures.slice(tenant, null, BillingMonths.start(first).plusSeconds(3600), BillingMonths.start(third).plusSeconds(60));
        fixtures.now(BillingMonths.end(third).plusSeconds(60));

        close.close(first, fixtures.financeUser());

        assertThat(close.check(third).refusals())
                .containsExactly(new CloseRefusal(Reason.EARLIER_MONTH_OPEN, first.plusMonths(1)));
    }

    @Test
    void anAdjustmentAloneKeepsItsMonthOpenBeforeLaterOnes() {
        YearMonth first = fixtures.freshMonths(2);
        YearMonth second = first.plusMonths(1);
        long tenant = fixtures.tenant("Adjusted only");
        jdbc.sql("""
                insert into billing_adjustment (month, tenant_id, cost_centre_id, amount, reason, created_by)
                values (?, ?, ?, 5, 'Goodwill credit', ?)""")
                .params(BillingMonths.firstDay(first), tenant, fixtures.root(tenant), fixtures.financeUser()).update();
        fixtures.now(BillingMonths.end(second).plusSeconds(60));

        assertThat(close.check(second).refusals()).containsExactly(new CloseRefusal(Reason.EARLIER_MONTH_OPEN, first));
    }

    private static BigDecimal total(MonthCharges charges) {
        return charges.tenants().stream().flatMap(t -> t.lines().stream()).map(StatementLine::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
