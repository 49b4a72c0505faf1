package io.vgpuhub.metering.chargeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.usage.allocation.AllocationRollup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@ChargebackTest
class ChargebackCalculatorTests {

    @Autowired
    ChargebackCalculator calculator;

    @Autowired
    RateSchedules schedules;

    @Autowired
    AllocationRollup rollup;

    @Autowired
    JdbcClient jdbc;

    ChargebackFixtures fixtures;

    @BeforeEach
    void freshTenantAndNoCards() {
        ChargebackFixtures.clearRateCards(jdbc);
        fixtures = new ChargebackFixtures(jdbc);
    }

    @Test
    void proratesAllocatedAndSeatTimeAcrossAMonthBoundaryAndARateCardChange() {
        fixtures.rateCard(LocalDate.parse("2025-01-01"), "EUR", Map.of("A40-8Q", "1.2345"), Map.of("VWS", "0.5000"));
        long february = fixtures.rateCard(LocalDate.parse("2025-02-01"), "EUR", Map.of("A40-8Q", "1.5000"),
                Map.of("VWS", "0.6000"));
        long second = fixtures.rateCard(LocalDate.parse("2025-02-02"), "EUR", Map.of("A40-8Q", "2.0000"),
                Map.of("VWS", "0.6000"));
        long slice = fixtures.slice("A40-8Q", "render-1", at("2025-01-30T22:00:00.700Z"), at("2025-02-02T01:30:00Z"));
        fixtures.lease(slice, "VWS", true, at("2025-01-30T22:00:05.900Z"), at("2025-02-02T01:30:00.400Z"));
        rerunRollup(at("2025-03-01T00:00:00Z"));

        TenantCharges january = only(calculator.compute(YearMonth.of(2025, 1), at("2025-03-01T00:00:00Z"),
                schedules.current(), fixtures.tenant));
        // 30 Jan 22:00:00 (the fraction cut off) to 1 Feb 00:00 is 26 hours: 93,600 s x 1.2345 / 3600 = 32.097.
        // The seat from 22:00:05 is 93,595 s x 0.50 / 3600 = 12.9993.
        assertThat(january.lines()).singleElement().satisfies(line -> {
            assertThat(line.allocatedSeconds()).isEqualTo(93_600);
            assertThat(line.allocationAmount()).isEqualByComparingTo("32.10");
            assertThat(line.edition()).isEqualTo(Edition.VWS);
            assertThat(line.seatSeconds()).isEqualByComparingTo("93595.000");
            assertThat(line.seatAmount()).isEqualByComparingTo("13.00");
            assertThat(line.periodStart()).isEqualTo(at("2025-01-30T22:00:00Z"));
            assertThat(line.periodEnd()).isEqualTo(at("2025-02-01T00:00:00Z"));
        });

        MonthCharges feb = calculator.compute(YearMonth.of(2025, 2), at("2025-03-01T00:00:00Z"), schedules.current(),
                fixtures.tenant);
        assertThat(feb.currency()).isEqualTo("EUR");
        // 1 Feb on the February card (24 h), 2 Feb 00:00 to 01:30 on the card of 2 Feb (5,400 s).
        assertThat(only(feb).lines()).extracting(StatementLine::rateCardId, StatementLine::allocatedSeconds,
                StatementLine::allocationAmount, StatementLine::seatSeconds, StatementLine::seatAmount,
                StatementLine::periodStart, StatementLine::periodEnd)
                .containsExactly(
                        tuple(february, 86_400L, new BigDecimal("36.00"), new BigDecimal("86400.000"),
                                new BigDecimal("14.40"), at("2025-02-01T00:00:00Z"), at("2025-02-02T00:00:00Z")),
                        tuple(second, 5_400L, new BigDecimal("3.00"), new BigDecimal("5400.000"),
                                new BigDecimal("0.90"), at("2025-02-02T00:00:00Z"), at("2025-02-02T01:30:00Z")));
    }

    @Test
    void aRunningMonthCountsUpToAsOf() {
        fixtures.rateCard(LocalDate.parse("2025-01-01"), "EUR", Map.of("A40-8Q", "1.0000"), Map.of("VWS", "1.0000"));
        long slice = fixtures.slice("A40-8Q", "vm", at("2025-04-10T00:00:00Z"), at("2025-04-10T05:00:00Z"));
        fixtures.lease(slice, "VWS", true, at("2025-04-10T00:00:00Z"), null);
        fixtures.hour(slice, at("2025-04-10T00:00:00Z"), 3600, 0, 0, null, null);
        fixtures.hour(slice, at("2025-04-10T01:00:00Z"), 3600, 0, 0, null, null);
        fixtures.hour(slice, at("2025-04-10T02:00:00Z"), 3600, 0, 0, null, null);

        MonthCharges charges = calculator.compute(YearMonth.of(2025, 4), at("2025-04-10T02:30:00.800Z"),
                schedules.current(), fixtures.tenant);

        assertThat(charges.asOf()).isEqualTo(at("2025-04-10T02:30:00.800Z"));
        // Hours that start before asOf count as the rollup wrote them; the running lease runs until asOf, cut to the second.
        assertThat(only(charges).lines()).singleElement().satisfies(line -> {
            assertThat(line.allocatedSeconds()).isEqualTo(3 * 3600);
            assertThat(line.seatSeconds()).isEqualByComparingTo("9000.000");
        });
    }

    @Test
    void pricesPerVmSeatsWholeAndSharesAPerGpuSeatEquallyBetweenItsConcurrentHolders() {
        fixtures.rateCard(LocalDate.parse("2025-01-01"), "EUR", Map.of(), Map.of("VCS", "0.9000", "VWS", "0.5000"));
        ChargebackFixtures neighbour = new ChargebackFixtures(jdbc);
        long gpu = fixtures.gpu();
        long first = fixtures.slice("A40-8C", "train-1", null, at("2025-03-10T14:00:00Z"));
        long second = fixtures.slice("A40-8C", "train-2", null, at("2025-03-10T13:00:00Z"));
        long theirs = neighbour.slice("A40-8C", "other", null, at("2025-03-10T12:00:10Z"));
        fixtures.gpuLease(first, "VCS", gpu, at("2025-03-10T10:00:00Z"), at("2025-03-10T14:00:00Z"));
        fixtures.gpuLease(second, "VCS", gpu, at("2025-03-10T11:00:00Z"), at("2025-03-10T13:00:00Z"));
        neighbour.gpuLease(theirs, "VCS", gpu, at("2025-03-10T12:00:00Z"), at("2025-03-10T12:00:10Z"));
        long unlicensed = fixtures.slice("A40-8Q", "flagged", at("2025-03-11T00:00:00Z"), at("2025-03-11T01:00:00Z"));
        fixtures.lease(unlicensed, "VWS", false, at("2025-03-11T00:00:00Z"), at("2025-03-11T01:00:00Z"));
        fixtures.hour(unlicensed, at("2025-03-11T00:00:00Z"), 3600, 0, 0, null, null);
        long perVm = fixtures.slice("A40-8Q", "desk", null, at("2025-03-12T02:00:00Z"));
        fixtures.lease(perVm, "VWS", true, at("2025-03-12T00:00:00Z"), at("2025-03-12T02:00:00Z"));

        TenantCharges mine = only(calculator.compute(YearMonth.of(2025, 3), at("2025-04-01T00:00:00Z"),
                schedules.current(), fixtures.tenant));

        // The GPU's seat: 10-11 train-1 alone; 11-12 both (1,800 s each); 12:00:00-12:00:10 three holders (10/3 s
        // each, one of another tenant); 12:00:10-13 both (1,795 s each); 13-14 train-1 alone.
        // train-1: 3600 + 1800 + 3.333 + 1795 + 3600 = 10,798.333 s x 0.90 / 3600 = 2.6996 -> 2.70
        // train-2: 1800 + 3.333 + 1795 = 3,598.333 s -> 0.8996 -> 0.90
        // desk: its own seat, 2 h x 0.50 = 1.00; flagged holds no seat: allocated time only, no edition.
        assertThat(mine.lines()).extracting(StatementLine::vmName, StatementLine::edition, StatementLine::seatSeconds,
                StatementLine::seatRatePerHour, StatementLine::seatAmount)
                .containsExactly(
                        tuple("desk", Edition.VWS, new BigDecimal("7200.000"), new BigDecimal("0.5000"),
                                new BigDecimal("1.00")),
                        tuple("flagged", null, new BigDecimal("0.000"), null, new BigDecimal("0.00")),
                        tuple("train-1", Edition.VCS, new BigDecimal("10798.333"), new BigDecimal("0.9000"),
                                new BigDecimal("2.70")),
                        tuple("train-2", Edition.VCS, new BigDecimal("3598.333"), new BigDecimal("0.9000"),
                                new BigDecimal("0.90")));
        // The flagged slice's hour is unpriced: the card has no price for A40-8Q.
        assertThat(mine.lines().get(1).unpriced()).isTrue();
        assertThat(mine.lines().get(1).allocatedSeconds()).isEqualTo(3600);

        TenantCharges others = only(calculator.compute(YearMonth.of(2025, 3), at("2025-04-01T00:00:00Z"),
                schedules.current(), neighbour.tenant));
        assertThat(others.lines()).singleElement().satisfies(line -> {
            assertThat(line.sliceId()).isEqualTo(theirs);
            assertThat(line.seatSeconds()).isEqualByComparingTo("3.333");
        });
    }

    @Test
    void timeWithNoCardInForceOrNoPriceOnTheCardIsAnUnpricedLineOfZero() {
        fixtures.rateCard(LocalDate.parse("2025-06-16"), "JPY", Map.of("A40-8Q", "150"), Map.of());
        long slice = fixtures.slice("A40-8Q", "vm", at("2025-06-15T23:00:00Z"), at("2025-06-16T01:00:00Z"));
        fixtures.lease(slice, "VWS", true, at("2025-06-15T23:00:00Z"), at("2025-06-16T01:00:00Z"));
        fixtures.hour(slice, at("2025-06-15T23:00:00Z"), 3600, 0, 0, null, null);
        fixtures.hour(slice, at("2025-06-16T00:00:00Z"), 3600, 0, 0, null, null);

        MonthCharges june = calculator.compute(YearMonth.of(2025, 6), at("2025-07-01T00:00:00Z"), schedules.current(),
                fixtures.tenant);

        assertThat(june.currency()).isEqualTo("JPY");
        assertThat(only(june).lines()).extracting(StatementLine::rateCardId, StatementLine::ratePerHour,
                StatementLine::allocationAmount, StatementLine::seatRatePerHour, StatementLine::seatAmount,
                StatementLine::unpriced)
                .containsExactly(
                        // Before the first card: no card, nothing priced.
                        tuple(null, null, new BigDecimal("0"), null, new BigDecimal("0"), true),
                        // The card prices the hour (whole yen) but not the vWS seat.
                        tuple(schedules.current().cards().get(0).id(), new BigDecimal("150.0000"),
                                new BigDecimal("150"), null, new BigDecimal("0"), true));
    }

    @Test
    void hintsTheSmallestOfferingOfTheSameSeriesThatHoldsThePeakAndItsSaving() {
        fixtures.rateCard(LocalDate.parse("2025-01-01"), "EUR",
                Map.of("A40-8Q", "1.2345", "A40-2Q", "0.4000", "A40-48C", "3.0000"), Map.of());
        long small = fixtures.slice("A40-8Q", "small", at("2025-05-01T00:00:00Z"), at("2025-05-01T10:00:00Z"));
        for (int h = 0; h < 10; h++) {
            fixtures.hour(small, at("2025-05-01T00:00:00Z").plusSeconds(3600L * h), 3600, 60, h == 0 ? 2000 : 1800,
                    h == 3 ? 95 : 40, h == 5 ? 1500 : 900);
        }
        long half = fixtures.slice("A40-8Q", "half", at("2025-05-02T00:00:00Z"), at("2025-05-02T01:00:00Z"));
        fixtures.hour(half, at("2025-05-02T00:00:00Z"), 3600, 60, 600, 20, 4096);
        long quiet = fixtures.slice("A40-8Q", "quiet", at("2025-05-03T00:00:00Z"), at("2025-05-03T01:00:00Z"));
        fixtures.hour(quiet, at("2025-05-03T00:00:00Z"), 3600, 0, 0, null, null);
        long vcs = fixtures.slice("A40-48C", "unpriced-hint", at("2025-05-04T00:00:00Z"), at("2025-05-04T01:00:00Z"));
        fixtures.hour(vcs, at("2025-05-04T00:00:00Z"), 3600, 60, 600, 20, 1000);

        TenantCharges may = only(calculator.compute(YearMonth.of(2025, 5), at("2025-06-01T00:00:00Z"),
                schedules.current(), fixtures.tenant));

        Map<Long, SliceShowback> showback = may.showback().stream()
                .collect(java.util.stream.Collectors.toMap(SliceShowback::sliceId, s -> s));
        // small: 600 samples, (2000 + 9 x 1800) / 600 = 30.33; its 1,500 MiB fit A40-2Q (2 GiB), the smallest Q
        // profile that holds them; 36,000 s x (1.2345 - 0.40) / 3600 = 8.345 -> 8.35.
        assertThat(showback.get(small)).isEqualTo(new SliceShowback(small, 600, new BigDecimal("30.33"), 95, 1500, 8192,
                new RightsizingHint("A40-2Q", 2048, new BigDecimal("8.35"))));
        // Exactly half of the profile is not under half.
        assertThat(showback.get(half).hint()).isNull();
        assertThat(showback.get(quiet)).isEqualTo(new SliceShowback(quiet, 0, null, null, null, 8192, null));
        // A40-4C would hold 1,000 MiB, but the card has no price for it: no hint.
        assertThat(showback.get(vcs).hint()).isNull();
        assertThat(showback.get(vcs).peakMemoryMib()).isEqualTo(1000);
    }

    @Test
    void linesGoByCostCentrePathThenVmNameAndEveryTenantIsComputedWhenNoneIsNamed() {
        fixtures.rateCard(LocalDate.parse("2025-01-01"), "EUR", Map.of("A40-8Q", "1.0000"), Map.of());
        long lab = fixtures.subCostCentre("LAB", "Laboratory");
        long b = fixtures.slice("A40-8Q", "b-vm", at("2025-07-01T00:00:00Z"), at("2025-07-01T01:00:00Z"));
        long a = fixtures.slice("A40-8Q", "a-vm", at("2025-07-01T00:00:00Z"), at("2025-07-01T01:00:00Z"));
        long labVm = fixtures.slice("A40-8Q", "a-lab", at("2025-07-01T00:00:00Z"), at("2025-07-01T01:00:00Z"), lab);
        ChargebackFixtures other = new ChargebackFixtures(jdbc);
        long theirs = other.slice("A40-8Q", "x", at("2025-07-01T00:00:00Z"), at("2025-07-01T01:00:00Z"));
        for (long slice : List.of(a, b, labVm, theirs)) {
            fixtures.hour(slice, at("2025-07-01T00:00:00Z"), 3600, 0, 0, null, null);
        }

        MonthCharges july = calculator.compute(YearMonth.of(2025, 7), at("2025-08-01T00:00:00Z"), schedules.current(),
                null);

        String root = "TENANT-" + fixtures.tenant;
        TenantCharges mine = july.tenants().stream().filter(t -> t.tenant().id() == fixtures.tenant).findFirst()
                .orElseThrow();
        assertThat(mine.tenant().name()).isEqualTo(fixtures.tenantName);
        assertThat(mine.lines()).extracting(line -> line.costCentre().path(), StatementLine::vmName)
                .containsExactly(tuple(root, "a-vm"), tuple(root, "b-vm"), tuple(root + "/LAB", "a-lab"));
        assertThat(mine.lines()).allSatisfy(line -> assertThat(line.amount()).isEqualByComparingTo("1.00"));
        assertThat(july.tenants()).anySatisfy(t -> assertThat(t.lines()).extracting(StatementLine::sliceId)
                .containsExactly(theirs));
        assertThat(july.tenants()).extracting(t -> t.tenant().name()).isSorted();
    }

    @Test
    void aPreviewPricesWithTheDraftInsteadOfTheStoredCardOfItsDay() {
        fixtures.rateCard(LocalDate.parse("2025-01-01"), "EUR", Map.of("A40-8Q", "1.0000"), Map.of());
        long slice = fixtures.slice("A40-8Q", "vm", at("2025-08-20T00:00:00Z"), at("2025-08-20T02:00:00Z"));
        fixtures.hour(slice, at("2025-08-20T00:00:00Z"), 3600, 0, 0, null, null);
        fixtures.hour(slice, at("2025-08-20T01:00:00Z"), 3600, 0, 0, null, null);
        RateSchedule preview = schedules.current().with(new RateCardDraft(LocalDate.parse("2025-08-20"), "EUR", "Draft",
                null, Map.of(fixtures.offering("A40-8Q"), new BigDecimal("2.5000")), Map.of()));

        TenantCharges august = only(calculator.compute(YearMonth.of(2025, 8), at("2025-09-01T00:00:00Z"), preview,
                fixtures.tenant));

        assertThat(august.lines()).singleElement().satisfies(line -> {
            assertThat(line.rateCardId()).isNull();
            assertThat(line.ratePerHour()).isEqualByComparingTo("2.5000");
            assertThat(line.amount()).isEqualByComparingTo("5.00");
        });
    }

    private void rerunRollup(Instant now) {
        jdbc.sql("delete from metering_watermark where job = 'allocation'").update();
        rollup.run(now);
    }

    private static TenantCharges only(MonthCharges charges) {
        assertThat(charges.tenants()).hasSize(1);
        return charges.tenants().get(0);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
