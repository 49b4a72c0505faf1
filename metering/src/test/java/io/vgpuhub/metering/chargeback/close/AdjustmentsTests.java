package io.vgpuhub.metering.chargeback.close;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.metering.chargeback.Subtotal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Corrections booked into open months, with a reason: counted where they belong, refused where they do not. */
@MonthCloseTest
class AdjustmentsTests {

    @Autowired
    Adjustments adjustments;

    @Autowired
    MonthClose close;

    @Autowired
    Statements statements;

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
    void aCorrectionOfAClosedMonthGoesIntoTheNextOpenMonthAndCountsInItsTotals() {
        YearMonth closedMonth = fixtures.freshMonths(2);
        YearMonth next = closedMonth.plusMonths(1);
        fixtures.rateCard(closedMonth, "EUR", "2.0000", "0");
        long tenant = fixtures.tenant("Corrected");
        long research = fixtures.subCostCentre(tenant, "RESEARCH");
        Instant start = BillingMonths.start(closedMonth);
        fixtures.slice(tenant, research, start.plus(Duration.ofHours(2)), start.plus(Duration.ofHours(12)));
        fixtures.slice(tenant, research, BillingMonths.start(next).plus(Duration.ofHours(2)),
                BillingMonths.start(next).plus(Duration.ofHours(7)));
        fixtures.now(BillingMonths.end(next).plus(Duration.ofDays(1)));
        close.close(closedMonth, fixtures.financeUser());
        Statement closedBefore = statements.statement(closedMonth, tenant);

        Adjustment booked = adjustments.book(tenant, next, research, new BigDecimal("-12.345"),
                "  Outage on 3rd: credit for ten hours  ", closedMonth, fixtures.financeUser());

        assertThat(booked.amount()).isEqualByComparingTo("-12.35");
        assertThat(booked.reason()).isEqualTo("Outage on 3rd: credit for ten hours");
        assertThat(booked.correctsMonth()).isEqualTo(closedMonth);
        assertThat(booked.costCentre().path()).isEqualTo("TENANT-" + tenant + "/RESEARCH");
        Statement statement = statements.statement(next, tenant);
        assertThat(statement.adjustments()).extracting(Adjustment::id).containsExactly(booked.id());
        assertThat(statement.charges()).isEqualByComparingTo("10.00");
        assertThat(statement.adjustmentsTotal()).isEqualByComparingTo("-12.35");
        assertThat(statement.total()).isEqualByComparingTo("-2.35");
        assertThat(statement.byCostCentre()).singleElement().satisfies(subtotal -> {
            assertThat(subtotal.key()).isEqualTo("TENANT-" + tenant + "/RESEARCH");
            assertThat(subtotal.amount()).isEqualByComparingTo("-2.35");
        });
        assertThat(statement.byCostCentre().stream().map(Subtotal::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(statement.total());
        assertThat(statements.statement(closedMonth, tenant)).isEqualTo(closedBefore);
        assertThat(adjustments.inMonth(next)).extracting(Adjustment::id).containsExactly(booked.id());
    }

    @Test
    void anAdjustmentWithoutACostCentreGoesToTheTenantsRootAndIntoTheRunningMonth() {
        YearMonth month = fixtures.freshMonths(1);
        long tenant = fixtures.tenant("Root booked");
        fixtures.now(BillingMonths.start(month).plus(Duration.ofDays(3)));

        Adjustment booked = adjustments.book(tenant, month, null, new BigDecimal("40"), "Setup fee", null,
                fixtures.financeUser());

        assertThat(booked.costCentre().id()).isEqualTo(fixtures.root(tenant));
        assertThat(booked.costCentre().parentCode()).isNull();
        assertThat(statements.statement(month, tenant).total()).isEqualByComparingTo("40");
    }

    @Test
    void anAmountIsKeptToTheMonthsCurrencyPrecision() {
        YearMonth month = fixtures.freshMonths(1);
        fixtures.rateCard(month, "JPY", "300", "10");
        long tenant = fixtures.tenant("Yen");
        fixtures.now(BillingMonths.start(month).plus(Duration.ofDays(3)));

        Adjustment booked = adjustments.book(tenant, month, null, new BigDecimal("100.5"), "Rounded to yen", null,
                fixtures.financeUser());

        assertThat(booked.amount()).isEqualByComparingTo("101");
        assertThatRefused(() -> adjustments.book(tenant, month, null, new BigDecimal("0.4"), "Less than a yen", null,
                fixtures.financeUser()), "amount", "zero");
    }

    @Test
    void aClosedMonthTakesNoAdjustmentFromTheServiceNorFromTheDatabase() {
        YearMonth month = fixtures.freshMonths(2);
        long tenant = fixtures.tenant("Closed");
        fixtures.slice(tenant, null, BillingMonths.start(month).plusSeconds(60), BillingMonths.start(month).plusSeconds(3600));
        fixtures.now(BillingMonths.end(month).plusSeconds(60));
        close.close(month, fixtures.financeUser());

        MonthClosedException refused = catchThrowableOfType(MonthClosedException.class, () -> adjustments.book(tenant,
                month, null, BigDecimal.TEN, "Too late for this month", null, fixtures.financeUser()));
        assertThat(refused.month()).isEqualTo(month);

        Throwable byDatabase = catchThrowable(() -> jdbc.sql("""
                insert into billing_adjustment (month, tenant_id, cost_centre_id, amount, reason, created_by)
                values (?, ?, ?, 10, 'Straight into the table', ?)""")
                .params(BillingMonths.firstDay(month), tenant, fixtures.root(tenant), fixtures.financeUser()).update());
        assertThat(sqlState(byDatabase)).isEqualTo("55000");
        assertThat(fixtures.adjustmentsIn(month)).isZero();
    }

    @Test
    void aBadAdjustmentIsRefusedFieldByFieldAndNothingIsWritten() {
        YearMonth month = fixtures.freshMonths(2);
        YearMonth next = month.plusMonths(1);
        long tenant = fixtures.tenant("Refused");
        long othersCostCentre = fixtures.subCostCentre(fixtures.tenant("Someone else"), "THEIRS");
        fixtures.now(BillingMonths.start(next).plus(Duration.ofDays(1)));
        long user = fixtures.financeUser();

        assertThatRefused(() -> adjustments.book(tenant, next, null, BigDecimal.ZERO, "Zero", null, user), "amount", "zero");
        assertThatRefused(() -> adjustments.book(tenant, next, null, null, "No amount", null, user), "amount", "missing");
        assertThatRefused(() -> adjustments.book(tenant, next, null, new BigDecimal("1e12"), "Huge", null, user),
                "amount", "tooLarge");
        assertThatRefused(() -> adjustments.book(tenant, next, null, BigDecimal.ONE, " x ", null, user), "reason", "tooShort");
        assertThatRefused(() -> adjustments.book(tenant, next, null, BigDecimal.ONE, "y".repeat(501), null, user),
                "reason", "tooLong");
        assertThatRefused(() -> adjustments.book(tenant, next, othersCostCentre, BigDecimal.ONE, "Wrong cost centre",
                null, user), "costCentre", "otherTenant");
        assertThatRefused(() -> adjustments.book(-1, next, null, BigDecimal.ONE, "No such tenant", null, user),
                "tenant", "unknown");
        assertThatRefused(() -> adjustments.book(tenant, next, null, BigDecimal.ONE, "Corrects itself", next, user),
                "correctsMonth", "notEarlier");
        assertThatRefused(() -> adjustments.book(tenant, next, null, BigDecimal.ONE, "Corrects an open month", month,
                user), "correctsMonth", "notClosed");
        assertThatRefused(() -> adjustments.book(tenant, next.plusMonths(1), null, BigDecimal.ONE, "Not begun", null,
                user), "month", "future");
        InvalidAdjustmentException several = catchThrowableOfType(InvalidAdjustmentException.class,
                () -> adjustments.book(tenant, next, null, BigDecimal.ZERO, "", null, user));
        assertThat(several.problems()).extracting(InvalidAdjustmentException.Problem::field)
                .containsExactly("amount", "reason");

        assertThat(fixtures.adjustmentsIn(next)).isZero();
        assertThat(fixtures.adjustmentsIn(next.plusMonths(1))).isZero();
    }

    @Test
    void theChoicesListEveryTenantWithItsRootFirst() {
        long tenant = fixtures.tenant("Choices");
        long sub = fixtures.subCostCentre(tenant, "A-SUB");

        TenantCostCentres choice = adjustments.choices().stream().filter(c -> c.tenant().id() == tenant).findFirst()
                .orElseThrow();

        assertThat(choice.costCentres()).extracting(c -> c.id()).containsExactly(fixtures.root(tenant), sub);
    }

    private static void assertThatRefused(Runnable booking, String field, String code) {
        InvalidAdjustmentException refused = catchThrowableOfType(InvalidAdjustmentException.class, booking::run);
        assertThat(refused).as("%s.%s", field, code).isNotNull();
        assertThat(refused.problems()).extracting(p -> p.field() + "." + p.code()).containsExactly(field + "." + code);
    }

    private static String sqlState(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
