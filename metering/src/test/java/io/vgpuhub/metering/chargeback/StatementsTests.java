package io.vgpuhub.metering.chargeback;

import static io.vgpuhub.metering.SqlTime.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.vgpuhub.metering.licensing.Edition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Statements on a database of their own: closed months' frozen rows can never be deleted, and the rate cards they
 * refer to stay, so they must not price the calculator tests' months. Every test here uses months from February 2024
 * on, except the months list's, which books the earliest adjustment (January 2024).
 */
@SpringBootTest(properties = "vgpuhub.test.database=chargeback-statements")
class StatementsTests {

    @Autowired
    Statements statements;

    @Autowired
    JdbcClient jdbc;

    ChargebackFixtures fixtures;

    @BeforeEach
    void freshTenantAndTheSharedCardOnly() {
        jdbc.sql("""
                delete from rate_card where effective_from <> '2024-03-01'
                  and id not in (select rate_card_id from statement_line where rate_card_id is not null)""").update();
        fixtures = new ChargebackFixtures(jdbc);
    }

    @Test
    void aClosedMonthIsReadFromItsFrozenRowsAndLaterChangesDoNotTouchIt() {
        YearMonth march = YearMonth.of(2024, 3);
        long card = cardOnce(LocalDate.parse("2024-03-01"));
        long slice = fixtures.slice("A40-8Q", "frozen-vm", at("2024-03-05T00:00:00Z"), at("2024-03-05T02:00:00Z"));
        fixtures.hour(slice, at("2024-03-05T00:00:00Z"), 3600, 60, 1200, 50, 700);
        fixtures.hour(slice, at("2024-03-05T01:00:00Z"), 3600, 60, 1200, 50, 700);
        adjustment(march, fixtures.rootCostCentre(), "-1.5000", "credit for an outage on 4 March");
        close(march, "EUR");
        // The frozen figures (names as they stood) differ from what the rows would compute now, on purpose.
        freezeLine(march, 1, slice, "Old Tenant Name", card, "2024-03-05T00:00:00Z", "2024-03-05T02:00:00Z", 7200,
                "1.0000", "2.0000");
        jdbc.sql("""
                insert into statement_showback (month, tenant_id, slice_id, sample_count, utilization_mean, utilization_peak,
                    memory_peak_mib, framebuffer_mib, suggested_offering, suggested_fb_mib, suggested_saving)
                values (?, ?, ?, 120, 20.00, 50, 700, 8192, 'A40-1Q', 1024, 1.2300)""")
                .params(LocalDate.parse("2024-03-01"), fixtures.tenant, slice).update();
        Statement before = statements.statement(march, fixtures.tenant);

        // A late sample, a renamed tenant and a card for the month after the close.
        fixtures.hour(slice, at("2024-03-06T00:00:00Z"), 3600, 1, 99, 99, 8000);
        jdbc.sql("update tenant set name = ? where id = ?").params("Renamed " + fixtures.tenant, fixtures.tenant)
                .update();
        fixtures.rateCard(LocalDate.parse("2024-03-04"), "EUR", Map.of("A40-8Q", "9.0000"), Map.of());
        Statement after = statements.statement(march, fixtures.tenant);

        assertThat(after).isEqualTo(before);
        assertThat(after.status()).isEqualTo(StatementStatus.CLOSED);
        assertThat(after.currency()).isEqualTo("EUR");
        assertThat(after.asOf()).isEqualTo(at("2024-04-01T00:00:00Z"));
        assertThat(after.tenant().name()).isEqualTo("Old Tenant Name");
        assertThat(after.lines()).singleElement().satisfies(line -> {
            assertThat(line.allocatedSeconds()).isEqualTo(7200);
            assertThat(line.allocationAmount()).isEqualTo(new BigDecimal("2.00"));
            assertThat(line.seatAmount()).isEqualTo(new BigDecimal("0.00"));
            assertThat(line.edition()).isNull();
        });
        assertThat(after.showback()).containsExactly(new SliceShowback(slice, 120, new BigDecimal("20.00"), 50, 700,
                8192, new RightsizingHint("A40-1Q", 1024, new BigDecimal("1.23"))));
        assertThat(after.adjustments()).singleElement().satisfies(adjustment -> {
            assertThat(adjustment.amount()).isEqualTo(new BigDecimal("-1.50"));
            assertThat(adjustment.reason()).isEqualTo("credit for an outage on 4 March");
            assertThat(adjustment.costCentre().path()).isEqualTo("TENANT-" + fixtures.tenant);
        });
        assertThat(after.total()).isEqualByComparingTo("0.50");
        assertThat(statements.summary(march).tenants()).extracting(t -> t.tenant().id(), TenantTotal::total)
                .contains(tuple(fixtures.tenant, new BigDecimal("0.50")));
    }

    @Test
    void anEndedMonthIsOpenAndComputedLiveWithItsAdjustmentsPerCostCentre() {
        YearMonth may = YearMonth.of(2024, 5);
        cardOnce(LocalDate.parse("2024-03-01"));
        long lab = fixtures.subCostCentre("LAB", "Laboratory");
        long slice = fixtures.slice("A40-8Q", "vm", at("2024-05-02T00:00:00Z"), at("2024-05-02T03:00:00Z"), lab);
        for (int h = 0; h < 3; h++) {
            fixtures.hour(slice, at("2024-05-02T00:00:00Z").plusSeconds(3600L * h), 3600, 0, 0, null, null);
        }
        adjustment(may, lab, "10.0000", "hardware swap billed late");

        Statement statement = statements.statement(may, fixtures.tenant);

        assertThat(statement.status()).isEqualTo(StatementStatus.OPEN);
        assertThat(statement.asOf()).isEqualTo(at("2024-06-01T00:00:00Z"));
        assertThat(statement.tenant().name()).isEqualTo(fixtures.tenantName);
        // 3 h x 1.2345 = 3.7035 -> 3.70, and the adjustment on the same cost centre.
        assertThat(statement.charges()).isEqualByComparingTo("3.70");
        assertThat(statement.byCostCentre()).containsExactly(
                new Subtotal("TENANT-" + fixtures.tenant + "/LAB", new BigDecimal("13.70")));
        assertThat(statement.total()).isEqualByComparingTo("13.70");
    }

    @Test
    void theRunningMonthRunsUpToNow() {
        YearMonth current = YearMonth.now(java.time.ZoneOffset.UTC);
        Instant start = BillingMonths.start(current);
        long slice = fixtures.slice("A40-8Q", "now-vm", start, start.plusSeconds(60));
        fixtures.hour(slice, start, 60, 0, 0, null, null);
        Instant before = Instant.now();

        Statement statement = statements.statement(current, fixtures.tenant);

        assertThat(statement.status()).isEqualTo(StatementStatus.RUNNING);
        assertThat(statement.asOf()).isBetween(before, Instant.now());
        assertThat(statement.lines()).extracting(StatementLine::allocatedSeconds).containsExactly(60L);
    }

    @Test
    void aTenantsStatementNeverHoldsAnotherTenantsSlices() {
        YearMonth june = YearMonth.of(2024, 6);
        cardOnce(LocalDate.parse("2024-03-01"));
        ChargebackFixtures other = new ChargebackFixtures(jdbc);
        long mine = fixtures.slice("A40-8Q", "mine", at("2024-06-01T00:00:00Z"), at("2024-06-01T01:00:00Z"));
        long theirs = other.slice("A40-8Q", "theirs", at("2024-06-01T00:00:00Z"), at("2024-06-01T01:00:00Z"));
        fixtures.hour(mine, at("2024-06-01T00:00:00Z"), 3600, 0, 0, null, null);
        other.hour(theirs, at("2024-06-01T00:00:00Z"), 3600, 0, 0, null, null);
        // The same per-GPU seat held by both at once: each is billed half, neither sees the other's line.
        long gpu = fixtures.gpu();
        fixtures.gpuLease(mine, "VCS", gpu, at("2024-06-01T00:00:00Z"), at("2024-06-01T01:00:00Z"));
        other.gpuLease(theirs, "VCS", gpu, at("2024-06-01T00:00:00Z"), at("2024-06-01T01:00:00Z"));

        Statement statement = statements.statement(june, fixtures.tenant);

        assertThat(statement.lines()).extracting(StatementLine::sliceId, StatementLine::edition,
                StatementLine::seatSeconds).containsExactly(tuple(mine, Edition.VCS, new BigDecimal("1800.000")));
        assertThat(statement.showback()).extracting(SliceShowback::sliceId).containsExactly(mine);
        assertThat(statements.statements(june)).extracting(s -> s.tenant().id())
                .contains(fixtures.tenant, other.tenant);
        assertThat(statements.statements(june)).filteredOn(s -> s.tenant().id() == other.tenant).singleElement()
                .satisfies(s -> assertThat(s.lines()).extracting(StatementLine::sliceId).containsExactly(theirs));
        MonthSummary summary = statements.summary(june);
        assertThat(summary.tenants()).extracting(t -> t.tenant().id(), TenantTotal::slices, TenantTotal::charges)
                // 1 h x 1.2345 = 1.23, and half the GPU's seat-hour, 1,800 s x 0.90 / 3600 = 0.45.
                .contains(tuple(fixtures.tenant, 1, new BigDecimal("1.68")), tuple(other.tenant, 1,
                        new BigDecimal("1.68")));
        assertThat(summary.byOffering()).extracting(Subtotal::key).contains("A40-8Q");
        assertThat(summary.total()).isEqualByComparingTo(summary.byOffering().stream().map(Subtotal::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        assertThatThrownBy(() -> statements.statement(june, -1)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void monthsRunFromTheFirstWithChargesOrAdjustmentsToTheRunningMonthNewestFirst() {
        adjustment(YearMonth.of(2024, 1), fixtures.rootCostCentre(), "4.2000", "opening balance");
        long slice = fixtures.slice("A40-8Q", "feb", at("2024-02-10T00:00:00Z"), at("2024-02-10T01:00:00Z"));
        fixtures.hour(slice, at("2024-02-10T00:00:00Z"), 3600, 0, 0, null, null);
        close(YearMonth.of(2024, 2), null);
        freezeLine(YearMonth.of(2024, 2), 1, slice, fixtures.tenantName, null, "2024-02-10T00:00:00Z",
                "2024-02-10T01:00:00Z", 3600, null, "0");

        List<MonthOverview> months = statements.months();

        YearMonth current = YearMonth.now(java.time.ZoneOffset.UTC);
        assertThat(months.get(0).month()).isEqualTo(current);
        assertThat(months.get(0).status()).isEqualTo(StatementStatus.RUNNING);
        for (int i = 1; i < months.size(); i++) {
            assertThat(months.get(i).month()).isEqualTo(months.get(i - 1).month().minusMonths(1));
        }
        assertThat(months.get(months.size() - 1)).satisfies(first -> {
            assertThat(first.month()).isEqualTo(YearMonth.of(2024, 1));
            assertThat(first.status()).isEqualTo(StatementStatus.OPEN);
            assertThat(first.total()).isEqualByComparingTo("4.20");
        });
        assertThat(months).filteredOn(m -> m.month().equals(YearMonth.of(2024, 2))).singleElement()
                .satisfies(february -> {
                    assertThat(february.status()).isEqualTo(StatementStatus.CLOSED);
                    assertThat(february.closedBy()).isNotNull();
                    assertThat(february.closedAt()).isNotNull();
                    assertThat(february.total()).isEqualByComparingTo("0");
                });
    }

    /** The card all these tests price by (1.2345 per A40-8Q hour, vCS 0.9 per seat-hour), made once. */
    private long cardOnce(LocalDate day) {
        return jdbc.sql("select id from rate_card where effective_from = ?").param(day).query(Long.class).optional()
                .orElseGet(() -> fixtures.rateCard(day, "EUR", Map.of("A40-8Q", "1.2345"), Map.of("VCS", "0.9000")));
    }

    private void adjustment(YearMonth month, long costCentre, String amount, String reason) {
        jdbc.sql("""
                insert into billing_adjustment (month, tenant_id, cost_centre_id, amount, reason, created_by)
                values (?, ?, ?, ?, ?, ?)""")
                .params(BillingMonths.firstDay(month), fixtures.tenant, costCentre, new BigDecimal(amount), reason,
                        fixtures.user).update();
    }

    private void close(YearMonth month, String currency) {
        jdbc.sql("insert into billing_month (month, currency, closed_by) values (:month, :currency, :by)")
                .param("month", BillingMonths.firstDay(month)).param("currency", currency, Types.VARCHAR)
                .param("by", fixtures.user).update();
    }

    private void freezeLine(YearMonth month, int lineNo, long slice, String tenantName, Long card, String from,
            String until, long seconds, String rate, String amount) {
        jdbc.sql("""
                insert into statement_line (month, tenant_id, line_no, tenant_name, cost_centre_id, cost_centre_code,
                    cost_centre_name, cost_centre_parent, slice_id, slice_uuid, vm_name, offering_id, offering_code,
                    rate_card_id, period_start, period_end, allocated_seconds, rate_per_hour, allocation_amount,
                    edition, seat_seconds, seat_rate_per_hour, seat_amount)
                select :month, s.tenant_id, :line, :tenantName, c.id, c.code, c.name, null, s.id, s.uuid, s.vm_name,
                       o.id, o.code, :card, :from, :until, :seconds, :rate, :amount, null, 0, null, 0
                from slice s join offering o on o.id = s.offering_id join cost_centre c on c.id = s.cost_centre_id
                where s.id = :slice""")
                .param("month", BillingMonths.firstDay(month)).param("line", lineNo).param("tenantName", tenantName)
                .param("card", card, Types.BIGINT)
                .param("from", utc(at(from)), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("until", utc(at(until)), Types.TIMESTAMP_WITH_TIMEZONE).param("seconds", seconds)
                .param("rate", rate == null ? null : new BigDecimal(rate), Types.NUMERIC)
                .param("amount", new BigDecimal(amount)).param("slice", slice).update();
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
