package io.vgpuhub.metering.licensing.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.AdmissionPolicy;
import io.vgpuhub.metering.licensing.entitlement.EditionPolicies;
import io.vgpuhub.metering.licensing.entitlement.EntitlementView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The license reports against figures computed by hand. The context (and its database) is these tests' own, so the
 * leases and entitlements here are all there are: each test starts from none.
 */
@SpringBootTest(properties = "vgpuhub.test.database=licensing")
class LicenseReportsTests {

    @Autowired
    LicenseReports reports;

    @Autowired
    EditionPolicies policies;

    @Autowired
    JdbcClient jdbc;

    LicenseFixtures fixtures;

    @BeforeEach
    void noLeasesNorEntitlements() {
        jdbc.sql("delete from license_lease").update();
        // Clears entitlements and admission policies too.
        fixtures = new LicenseFixtures(jdbc);
    }

    static Instant at(String utc) {
        return Instant.parse(utc);
    }

    /**
     * March 1st to 4th 2024 (72 hours).
     * vWS (per VM): A [1st 00:00, 2nd 00:00), B [1st 12:00, 1st 18:00), C [2nd 00:00, 3rd 12:00) (touches A, so never
     * counted with it): peak 2 (A+B), held 24 + 6 + 36 = 66 h, average 66 / 72 = 0.9166… = 0.92. Flagged F [1st 14:00,
     * 1st 16:00): peak 1. Entitled: 5 seats [Jan 1st, 2nd 12:00) and 3 seats [2nd 00:00, perpetual): most 8 (2nd
     * 00:00–12:00), 3 at the end.
     * vCS (per GPU): D1 [1st 06:00, 2nd 06:00) and D2 [1st 12:00, 3rd 00:00) share GPU g, one seat [1st 06:00, 3rd
     * 00:00) = 42 h; E on GPU h [1st 20:00, 1st 22:00) = 2 h; P on GPU h2 from Feb 28th to 1st 03:00 = 3 h inside the
     * period; Q [4th 00:00, 5th) lies after it. Peak 2, average 47 / 72 = 0.6527… = 0.65. Entitled 2 seats for March;
     * one that ended when the period began does not count.
     */
    void marchHistory() {
        long a = fixtures.slice("A40-2Q", "vm-a");
        long b = fixtures.slice("A40-2Q", "vm-b");
        long c = fixtures.slice("A40-2Q", "vm-c");
        long f = fixtures.slice("A40-2Q", "vm-f");
        fixtures.lease(a, "VWS", true, at("2024-03-01T00:00:00Z"), at("2024-03-02T00:00:00Z"));
        fixtures.lease(b, "VWS", true, at("2024-03-01T12:00:00Z"), at("2024-03-01T18:00:00Z"));
        fixtures.lease(c, "VWS", true, at("2024-03-02T00:00:00Z"), at("2024-03-03T12:00:00Z"));
        fixtures.lease(f, "VWS", false, at("2024-03-01T14:00:00Z"), at("2024-03-01T16:00:00Z"));
        fixtures.entitlement("VWS", 5, at("2024-01-01T00:00:00Z"), at("2024-03-02T12:00:00Z"));
        fixtures.entitlement("VWS", 3, at("2024-03-02T00:00:00Z"), null);

        long g = fixtures.gpu("gpu-host-g");
        long h = fixtures.gpu("gpu-host-h");
        long h2 = fixtures.gpu("gpu-host-h2");
        fixtures.gpuLease(fixtures.slice("A40-8C", "vm-d1"), "VCS", g, at("2024-03-01T06:00:00Z"), at("2024-03-02T06:00:00Z"));
        fixtures.gpuLease(fixtures.slice("A40-8C", "vm-d2"), "VCS", g, at("2024-03-01T12:00:00Z"), at("2024-03-03T00:00:00Z"));
        fixtures.gpuLease(fixtures.slice("A40-8C", "vm-e"), "VCS", h, at("2024-03-01T20:00:00Z"), at("2024-03-01T22:00:00Z"));
        fixtures.gpuLease(fixtures.slice("A40-8C", "vm-p"), "VCS", h2, at("2024-02-28T00:00:00Z"), at("2024-03-01T03:00:00Z"));
        fixtures.gpuLease(fixtures.slice("A40-8C", "vm-q"), "VCS", h2, at("2024-03-04T00:00:00Z"), at("2024-03-05T00:00:00Z"));
        fixtures.entitlement("VCS", 2, at("2024-03-01T00:00:00Z"), at("2024-04-01T00:00:00Z"));
        fixtures.entitlement("VCS", 7, at("2024-01-01T00:00:00Z"), at("2024-03-01T00:00:00Z"));
    }

    @Test
    void theUsageReportHasPeakAverageEntitledAndFlaggedFiguresPerEdition() {
        marchHistory();

        UsageReport report = reports.usageReport(at("2024-03-01T00:00:00Z"), at("2024-03-04T00:00:00Z"));

        Map<Edition, EditionUsage> rows = report.editions().stream()
                .collect(Collectors.toMap(EditionUsage::edition, Function.identity()));
        assertThat(report.editions()).extracting(EditionUsage::edition)
                .containsExactly(Edition.VAPPS, Edition.VPC, Edition.VWS, Edition.VCS);
        assertThat(rows.get(Edition.VWS)).isEqualTo(new EditionUsage(Edition.VWS, "NVIDIA RTX Virtual Workstation", 2,
                new java.math.BigDecimal("0.92"), 8, 3, 1));
        assertThat(rows.get(Edition.VCS)).isEqualTo(new EditionUsage(Edition.VCS,
                "NVIDIA Virtual Compute Server / AI Enterprise", 2, new java.math.BigDecimal("0.65"), 2, 2, 0));
        assertThat(rows.get(Edition.VPC)).isEqualTo(new EditionUsage(Edition.VPC, "NVIDIA Virtual PC", 0,
                new java.math.BigDecimal("0.00"), 0, 0, 0));
    }

    @Test
    void theCsvHasAHeaderAndOneRowPerEditionWithIsoInstantsAndTwoDecimals() {
        marchHistory();

        String csv = reports.usageReport(at("2024-03-01T00:00:00Z"), at("2024-03-04T00:00:00Z")).csv();

        assertThat(csv.split("\r\n")).containsExactly(
                "edition,edition_name,period_start,period_end,peak_concurrent_seats,average_concurrent_seats,"
                        + "entitled_seats_max,entitled_seats_at_end,peak_unlicensed_slices",
                "VAPPS,NVIDIA Virtual Applications,2024-03-01T00:00:00Z,2024-03-04T00:00:00Z,0,0.00,0,0,0",
                "VPC,NVIDIA Virtual PC,2024-03-01T00:00:00Z,2024-03-04T00:00:00Z,0,0.00,0,0,0",
                "VWS,NVIDIA RTX Virtual Workstation,2024-03-01T00:00:00Z,2024-03-04T00:00:00Z,2,0.92,8,3,1",
                "VCS,NVIDIA Virtual Compute Server / AI Enterprise,2024-03-01T00:00:00Z,2024-03-04T00:00:00Z,2,0.65,2,2,0");
    }

    @Test
    void aPartOfThePeriodIsAveragedOverItsOwnLength() {
        marchHistory();

        // March 1st 12:00 to 18:00: A and B throughout, so 2 all along; vCS: D1 and D2 share g (1) all along.
        UsageReport report = reports.usageReport(at("2024-03-01T12:00:00Z"), at("2024-03-01T18:00:00Z"));

        assertThat(report.editions()).filteredOn(row -> row.edition() == Edition.VWS).singleElement()
                .satisfies(row -> assertThat(row.averageSeats()).isEqualByComparingTo("2.00"))
                .satisfies(row -> assertThat(row.peakSeats()).isEqualTo(2))
                .satisfies(row -> assertThat(row.entitledAtEnd()).isEqualTo(5));
        assertThat(report.editions()).filteredOn(row -> row.edition() == Edition.VCS).singleElement()
                .satisfies(row -> assertThat(row.averageSeats()).isEqualByComparingTo("1.00"));
    }

    @Test
    void dailyPeaksAndTheEntitledLineArePerUtcDay() {
        marchHistory();

        List<EditionSeatHistory> history = reports.concurrentSeatUse(LocalDate.parse("2024-03-01"), LocalDate.parse("2024-03-04"));

        Map<Edition, EditionSeatHistory> byEdition = history.stream()
                .collect(Collectors.toMap(EditionSeatHistory::edition, Function.identity()));
        assertThat(byEdition.get(Edition.VWS).days()).containsExactly(
                new DailySeats(LocalDate.parse("2024-03-01"), 2, 5),
                new DailySeats(LocalDate.parse("2024-03-02"), 1, 8),
                new DailySeats(LocalDate.parse("2024-03-03"), 1, 3),
                new DailySeats(LocalDate.parse("2024-03-04"), 0, 3));
        assertThat(byEdition.get(Edition.VCS).days()).containsExactly(
                new DailySeats(LocalDate.parse("2024-03-01"), 2, 2),
                new DailySeats(LocalDate.parse("2024-03-02"), 1, 2),
                new DailySeats(LocalDate.parse("2024-03-03"), 0, 2),
                new DailySeats(LocalDate.parse("2024-03-04"), 1, 2));
        assertThat(byEdition.get(Edition.VWS).hasData()).isTrue();
        assertThat(byEdition.get(Edition.VAPPS).hasData()).isFalse();
    }

    @Test
    void aPeriodThatDoesNotEndAfterItStartsIsRefused() {
        assertThatThrownBy(() -> reports.usageReport(at("2024-03-02T00:00:00Z"), at("2024-03-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end after it starts");
        assertThatThrownBy(() -> reports.concurrentSeatUse(LocalDate.parse("2024-03-02"), LocalDate.parse("2024-03-01")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seatsNowCountSharedGpuSeatsOnceAndWarnCloseToExhaustion() {
        Instant now = Instant.now();
        // vWS: 2 seats valid now (plus one ended and one not yet begun), 2 held, 1 flagged: none free.
        fixtures.entitlement("VWS", 2, now.minus(Duration.ofDays(10)), null);
        fixtures.entitlement("VWS", 50, now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(1)));
        fixtures.entitlement("VWS", 50, now.plus(Duration.ofDays(1)), null);
        fixtures.lease(fixtures.slice("A40-2Q", "w1"), "VWS", true, now.minusSeconds(600), null);
        fixtures.lease(fixtures.slice("A40-2Q", "w2"), "VWS", true, now.minusSeconds(500), null);
        fixtures.lease(fixtures.slice("A40-2Q", "w3"), "VWS", false, now.minusSeconds(400), null);
        fixtures.lease(fixtures.slice("A40-2Q", "w4"), "VWS", true, now.minusSeconds(900), now.minusSeconds(300));
        // vCS: 10 seats, two slices on one GPU share its seat: 1 used.
        long gpu = fixtures.gpu("now-host");
        fixtures.entitlement("VCS", 10, now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(10)));
        fixtures.gpuLease(fixtures.slice("A40-8C", "c1"), "VCS", gpu, now.minusSeconds(600), null);
        fixtures.gpuLease(fixtures.slice("A40-8C", "c2"), "VCS", gpu, now.minusSeconds(60), null);
        // vPC: 10 seats, 9 used: 90 %, the default warning share, with 1 free.
        fixtures.entitlement("VPC", 10, now.minus(Duration.ofDays(10)), null);
        for (int i = 0; i < 9; i++) {
            fixtures.lease(fixtures.slice("A40-2B", "p" + i), "VPC", true, now.minusSeconds(60), null);
        }
        policies.setAdmissionPolicy(Edition.VWS, AdmissionPolicy.ALLOW_UNLICENSED);

        Map<Edition, EditionSeats> seats = reports.seatsNow().stream()
                .collect(Collectors.toMap(EditionSeats::edition, Function.identity()));

        assertThat(seats.get(Edition.VWS)).isEqualTo(new EditionSeats(Edition.VWS, "NVIDIA RTX Virtual Workstation", false,
                AdmissionPolicy.ALLOW_UNLICENSED, 2, 2, 0, 1, true));
        assertThat(seats.get(Edition.VCS)).isEqualTo(new EditionSeats(Edition.VCS,
                "NVIDIA Virtual Compute Server / AI Enterprise", true, AdmissionPolicy.REFUSE, 10, 1, 9, 0, false));
        assertThat(seats.get(Edition.VPC).closeToExhaustion()).isTrue();
        assertThat(seats.get(Edition.VPC).usedPercent()).isEqualTo(90);
        assertThat(seats.get(Edition.VAPPS)).isEqualTo(new EditionSeats(Edition.VAPPS, "NVIDIA Virtual Applications", false,
                AdmissionPolicy.REFUSE, 0, 0, 0, 0, false));
    }

    @Test
    void exhaustionWarnsAtTheWarningShareOrWithOneSeatLeft() {
        assertThat(EditionSeats.of(Edition.VWS, "n", false, AdmissionPolicy.REFUSE, 100, 89, 0, 90).closeToExhaustion()).isFalse();
        assertThat(EditionSeats.of(Edition.VWS, "n", false, AdmissionPolicy.REFUSE, 100, 90, 0, 90).closeToExhaustion()).isTrue();
        assertThat(EditionSeats.of(Edition.VWS, "n", false, AdmissionPolicy.REFUSE, 2, 1, 0, 90).closeToExhaustion()).isTrue();
        assertThat(EditionSeats.of(Edition.VWS, "n", false, AdmissionPolicy.REFUSE, 3, 1, 0, 90).closeToExhaustion()).isFalse();
        assertThat(EditionSeats.of(Edition.VWS, "n", false, AdmissionPolicy.REFUSE, 0, 1, 0, 90).free()).isEqualTo(-1);
    }

    @Test
    void expiringListsEntitlementsEndingWithinTheWindowSoonestFirst() {
        Instant now = Instant.now();
        long in10 = fixtures.entitlement("VWS", 1, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(10)));
        long in45 = fixtures.entitlement("VPC", 2, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(45)));
        long in80 = fixtures.entitlement("VCS", 3, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(80)));
        fixtures.entitlement("VCS", 4, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(95)));
        fixtures.entitlement("VCS", 5, now.minus(Duration.ofDays(300)), now.minus(Duration.ofDays(1)));
        fixtures.entitlement("VCS", 6, now.minus(Duration.ofDays(300)), null);

        assertThat(reports.expiring(30)).extracting(EntitlementView::id).containsExactly(in10);
        assertThat(reports.expiring(60)).extracting(EntitlementView::id).containsExactly(in10, in45);
        assertThat(reports.expiring(90)).extracting(EntitlementView::id).containsExactly(in10, in45, in80);
        assertThat(reports.expiring(90).get(2).seats()).isEqualTo(3);
    }

    @Test
    void holdersAreTheRunningLeasesWithTenantVmOfferingAndGpu() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long gpu = fixtures.gpu("holder-host");
        long held = fixtures.slice("A40-2Q", "cad-1");
        long flagged = fixtures.slice("A40-2Q", "cad-2");
        long ended = fixtures.slice("A40-2Q", "cad-3");
        fixtures.lease(held, "VWS", "slice:" + held, gpu, true, now.minusSeconds(3600), null);
        fixtures.lease(flagged, "VWS", "slice:" + flagged, null, false, now.minusSeconds(60), null);
        fixtures.lease(ended, "VWS", true, now.minusSeconds(7200), now.minusSeconds(10));

        List<SeatHolder> holders = reports.holders();

        assertThat(holders).extracting(SeatHolder::vmName).containsExactly("cad-2", "cad-1");
        SeatHolder first = holders.get(1);
        assertThat(first.sliceUuid()).isEqualTo(fixtures.uuid(held));
        assertThat(first.tenant()).isEqualTo(fixtures.tenantName());
        assertThat(first.offering()).isEqualTo("A40-2Q");
        assertThat(first.host()).startsWith("holder-host-");
        assertThat(first.gpu()).isEqualTo("A40 0000:41:00.0");
        assertThat(first.since()).isEqualTo(now.minusSeconds(3600));
        assertThat(first.holdsSeat()).isTrue();
        assertThat(holders.get(0).holdsSeat()).isFalse();
        assertThat(holders.get(0).host()).isNull();
    }

    @Test
    void mismatchesAreSeatHoldersWhoseGuestHasNotBeenLicensedForLongerThanTheThreshold() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Licensed 50 minutes ago, unlicensed since: a mismatch.
        long wentUnlicensed = running("went-unlicensed", now.minus(Duration.ofHours(1)));
        fixtures.sample(wentUnlicensed, now.minus(Duration.ofMinutes(50)), "LICENSED");
        fixtures.sample(wentUnlicensed, now.minus(Duration.ofMinutes(20)), "UNLICENSED");
        fixtures.sample(wentUnlicensed, now.minus(Duration.ofMinutes(1)), "UNLICENSED_RESTRICTED");
        // Licensed 5 minutes ago: not yet.
        long recentlyLicensed = running("recently-licensed", now.minus(Duration.ofHours(1)));
        fixtures.sample(recentlyLicensed, now.minus(Duration.ofMinutes(5)), "LICENSED");
        fixtures.sample(recentlyLicensed, now.minus(Duration.ofMinutes(1)), "UNLICENSED");
        // Leased 5 minutes ago, still booting: not yet.
        long booting = running("booting", now.minus(Duration.ofMinutes(5)));
        fixtures.sample(booting, now.minus(Duration.ofMinutes(4)), "UNLICENSED");
        // Never licensed in an hour, no guest driver: a mismatch; a LICENSED sample before the lease began is not its.
        long noDriver = running("no-driver", now.minus(Duration.ofHours(1)));
        fixtures.sample(noDriver, now.minus(Duration.ofHours(2)), "LICENSED");
        fixtures.sample(noDriver, now.minus(Duration.ofMinutes(2)), "NO_GUEST_DRIVER");
        // Samples that carry no license state say nothing.
        long unknown = running("no-state", now.minus(Duration.ofHours(1)));
        fixtures.sample(unknown, now.minus(Duration.ofMinutes(2)), null);
        // Latest state LICENSED, however old: not a mismatch.
        long licensed = running("licensed", now.minus(Duration.ofHours(1)));
        fixtures.sample(licensed, now.minus(Duration.ofMinutes(40)), "UNLICENSED");
        fixtures.sample(licensed, now.minus(Duration.ofMinutes(30)), "LICENSED");
        // Flagged (no seat) and ended leases are not mismatches.
        long flagged = fixtures.slice("A40-2Q", "flagged");
        fixtures.lease(flagged, "VWS", false, now.minus(Duration.ofHours(1)), null);
        fixtures.sample(flagged, now.minus(Duration.ofMinutes(1)), "UNLICENSED");
        long ended = fixtures.slice("A40-2Q", "ended");
        fixtures.lease(ended, "VWS", true, now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(1)));
        fixtures.sample(ended, now.minus(Duration.ofMinutes(2)), "UNLICENSED");

        List<LicenseMismatch> mismatches = reports.mismatches(Duration.ofMinutes(10));

        assertThat(mismatches).extracting(LicenseMismatch::vmName).containsExactly("no-driver", "went-unlicensed");
        LicenseMismatch went = mismatches.get(1);
        assertThat(went.latestState()).isEqualTo("UNLICENSED_RESTRICTED");
        assertThat(went.latestAt()).isEqualTo(now.minus(Duration.ofMinutes(1)));
        assertThat(went.lastLicensedAt()).isEqualTo(now.minus(Duration.ofMinutes(50)));
        assertThat(went.edition()).isEqualTo(Edition.VWS);
        assertThat(mismatches.get(0).lastLicensedAt()).isNull();
        assertThat(mismatches.get(0).sliceUuid()).isEqualTo(fixtures.uuid(noDriver));

        assertThat(reports.mismatches(Duration.ofMinutes(3))).extracting(LicenseMismatch::vmName)
                .containsExactlyInAnyOrder("no-driver", "went-unlicensed", "booting", "recently-licensed");
        assertThat(reports.mismatches()).extracting(LicenseMismatch::vmName)
                .as("the default threshold is 10 minutes").containsExactlyInAnyOrder("no-driver", "went-unlicensed");
    }

    private long running(String vmName, Instant since) {
        long slice = fixtures.slice("A40-2Q", vmName);
        fixtures.lease(slice, "VWS", true, since, null);
        return slice;
    }

    @Test
    void settingsHaveTheirDefaults() {
        assertThat(reports.settings()).isEqualTo(new LicenseReportSettings(90, Duration.ofMinutes(10)));
    }

}
