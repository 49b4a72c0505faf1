package io.vgpuhub.metering.licensing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

@LicensingTest
class SeatLeasesTests {

    @Autowired
    SeatLeases leases;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    LeaseFixtures fixtures;
    long host;
    long gpu;
    long vws;

    @BeforeEach
    void aHostWithAGpuAndAVwsOffering() {
        fixtures = new LeaseFixtures(jdbc);
        host = fixtures.host();
        gpu = fixtures.gpu(host);
        vws = fixtures.offering(Edition.VWS);
    }

    @Test
    void aSliceTakesASeatWhileOneIsFreeAndIsRefusedWhenNoneIs() {
        fixtures.entitleNow(Edition.VWS, 2);
        long first = fixtures.slice(vws, gpu, "PLACED");
        long second = fixtures.slice(vws, gpu, "PLACED");
        long third = fixtures.slice(vws, gpu, "PLACED");

        assertThat(acquire(first, Edition.VWS, gpu)).isEqualTo(Admission.LICENSED);
        assertThat(acquire(second, Edition.VWS, gpu)).isEqualTo(Admission.LICENSED);
        assertThatThrownBy(() -> acquire(third, Edition.VWS, gpu))
                .isInstanceOfSatisfying(NoSeatAvailableException.class, refused -> {
                    assertThat(refused.edition()).isEqualTo(Edition.VWS);
                    assertThat(refused.entitled()).isEqualTo(2);
                    assertThat(refused.inUse()).isEqualTo(2);
                })
                .hasMessage("No NVIDIA RTX Virtual Workstation seat is free (2 of 2 in use). "
                        + "Ask your provider's license administrator.");

        assertThat(fixtures.leases(third)).isEmpty();
        assertThat(fixtures.seatsHeld(Edition.VWS)).isEqualTo(2);
    }

    @Test
    void acquiringNeedsTheCallersTransaction() {
        fixtures.entitleNow(Edition.VWS, 1);
        long slice = fixtures.slice(vws, gpu, "PLACED");

        assertThatThrownBy(() -> leases.acquire(slice, Edition.VWS, gpu)).isInstanceOf(IllegalTransactionStateException.class);
        assertThat(fixtures.leases(slice)).isEmpty();
    }

    @Test
    void underAllowUnlicensedASliceWithoutAFreeSeatIsAdmittedFlagged() {
        fixtures.entitleNow(Edition.VWS, 1);
        fixtures.policy(Edition.VWS, "ALLOW_UNLICENSED");
        long first = fixtures.slice(vws, gpu, "PLACED");
        long second = fixtures.slice(vws, gpu, "PLACED");

        assertThat(acquire(first, Edition.VWS, gpu)).isEqualTo(Admission.LICENSED);
        assertThat(acquire(second, Edition.VWS, gpu)).isEqualTo(Admission.UNLICENSED);

        assertThat(fixtures.leases(second)).containsExactly("flagged/running");
        assertThat(fixtures.seatsHeld(Edition.VWS)).isEqualTo(1);
        Map<Long, SeatLease> shown = leases.leaseOf(List.of(first, second));
        assertThat(shown.get(first).holdsSeat()).isTrue();
        assertThat(shown.get(second).holdsSeat()).isFalse();
        assertThat(shown.get(second).edition()).isEqualTo(Edition.VWS);
    }

    @Test
    void slicesOnOneGpuShareItsPerGpuSeat() {
        long vcs = fixtures.offering(Edition.VCS);
        long otherGpu = fixtures.gpu(host);
        fixtures.entitleNow(Edition.VCS, 1);
        long a = fixtures.slice(vcs, gpu, "PLACED");
        long b = fixtures.slice(vcs, gpu, "PLACED");
        long c = fixtures.slice(vcs, gpu, "PLACED");
        long elsewhere = fixtures.slice(vcs, otherGpu, "PLACED");

        assertThat(acquire(a, Edition.VCS, gpu)).isEqualTo(Admission.LICENSED);
        assertThat(acquire(b, Edition.VCS, gpu)).isEqualTo(Admission.LICENSED);
        assertThat(acquire(c, Edition.VCS, gpu)).isEqualTo(Admission.LICENSED);
        assertThatThrownBy(() -> acquire(elsewhere, Edition.VCS, otherGpu))
                .isInstanceOfSatisfying(NoSeatAvailableException.class, refused -> assertThat(refused.inUse()).isEqualTo(1));
        assertThat(fixtures.seatsHeld(Edition.VCS)).isEqualTo(1);

        // The GPU's seat stays taken while any of its slices runs, and returns with the last.
        release(a);
        release(b);
        assertThatThrownBy(() -> acquire(elsewhere, Edition.VCS, otherGpu)).isInstanceOf(NoSeatAvailableException.class);
        release(c);
        assertThat(acquire(elsewhere, Edition.VCS, otherGpu)).isEqualTo(Admission.LICENSED);
    }

    @Test
    void onlyEntitlementsValidNowCount() {
        Instant now = Instant.now();
        fixtures.entitle(Edition.VPC, 5, now.plus(Duration.ofDays(1)), null);                          // not yet
        fixtures.entitle(Edition.VPC, 7, now.minus(Duration.ofDays(30)), now.minus(Duration.ofMinutes(1))); // over
        fixtures.entitle(Edition.VPC, 1, now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(30)));  // valid
        long vpc = fixtures.offering(Edition.VPC);
        long first = fixtures.slice(vpc, gpu, "PLACED");
        long second = fixtures.slice(vpc, gpu, "PLACED");

        assertThat(acquire(first, Edition.VPC, gpu)).isEqualTo(Admission.LICENSED);
        assertThatThrownBy(() -> acquire(second, Edition.VPC, gpu))
                .isInstanceOfSatisfying(NoSeatAvailableException.class, refused -> assertThat(refused.entitled()).isEqualTo(1));
    }

    @Test
    void releaseReturnsTheSeatAtOnce() {
        fixtures.entitleNow(Edition.VWS, 1);
        long first = fixtures.slice(vws, gpu, "READY");
        long second = fixtures.slice(vws, gpu, "PLACED");
        acquire(first, Edition.VWS, gpu);
        assertThatThrownBy(() -> acquire(second, Edition.VWS, gpu)).isInstanceOf(NoSeatAvailableException.class);

        release(first);

        assertThat(acquire(second, Edition.VWS, gpu)).isEqualTo(Admission.LICENSED);
        assertThat(fixtures.leases(first)).containsExactly("seat/RELEASED");
        assertThat(leases.leaseOf(List.of(first))).isEmpty();
    }

    @Test
    void aLeaseItsHostRenewsDoesNotExpireAndOneItsHostLeftSilentDoes() {
        fixtures.entitleNow(Edition.VWS, 5);
        long otherHost = fixtures.host();
        long otherGpu = fixtures.gpu(otherHost);
        long renewed = fixtures.slice(vws, gpu, "READY");
        long silent = fixtures.slice(vws, otherGpu, "READY");
        acquire(renewed, Edition.VWS, gpu);
        acquire(silent, Edition.VWS, otherGpu);
        fixtures.age(renewed, Duration.ofMinutes(20));
        fixtures.age(silent, Duration.ofMinutes(20));

        HostRenewal renewal = leases.renewHost(host);
        List<ExpiredLease> expired = leases.expireStale(Instant.now());

        assertThat(renewal.renewed()).isEqualTo(1);
        assertThat(expired).singleElement().satisfies(lease -> {
            assertThat(lease.sliceId()).isEqualTo(silent);
            assertThat(lease.heldSeat()).isTrue();
            assertThat(lease.edition()).isEqualTo(Edition.VWS);
            assertThat(lease.tenantId()).isEqualTo(fixtures.tenant);
        });
        assertThat(fixtures.leases(renewed)).containsExactly("seat/running");
        assertThat(fixtures.leases(silent)).containsExactly("seat/EXPIRED");
        assertThat(fixtures.seatsHeld(Edition.VWS)).isEqualTo(1);
        assertThat(leases.expireStale(Instant.now())).as("expiring again finds nothing").isEmpty();
    }

    @Test
    void aLeaseWithinTheGraceDoesNotExpire() {
        fixtures.entitleNow(Edition.VWS, 1);
        long slice = fixtures.slice(vws, gpu, "READY");
        acquire(slice, Edition.VWS, gpu);
        fixtures.age(slice, Duration.ofMinutes(14));

        assertThat(leases.expireStale(Instant.now())).isEmpty();
        assertThat(leases.expireStale(Instant.now().plus(Duration.ofMinutes(2)))).hasSize(1);
    }

    @Test
    void aSliceWhoseLeaseExpiredTakesASeatAgainWhenItsHostReports() {
        fixtures.entitleNow(Edition.VWS, 1);
        long slice = fixtures.slice(vws, gpu, "READY");
        acquire(slice, Edition.VWS, gpu);
        fixtures.age(slice, Duration.ofMinutes(20));
        leases.expireStale(Instant.now());
        assertThat(fixtures.seatsHeld(Edition.VWS)).isZero();

        HostRenewal renewal = leases.renewHost(host);

        assertThat(renewal.seated()).isEqualTo(1);
        assertThat(fixtures.leases(slice)).containsExactly("seat/EXPIRED", "seat/running");
        assertThat(fixtures.seatsHeld(Edition.VWS)).isEqualTo(1);
    }

    @Test
    void aRunningSliceIsNeverRefusedButFlaggedWhenItsSeatWasTakenWhileItsHostWasSilent() {
        fixtures.entitleNow(Edition.VWS, 1);
        long otherGpu = fixtures.gpu(fixtures.host());
        long slice = fixtures.slice(vws, gpu, "READY");
        acquire(slice, Edition.VWS, gpu);
        fixtures.age(slice, Duration.ofMinutes(20));
        leases.expireStale(Instant.now());
        long taker = fixtures.slice(vws, otherGpu, "PLACED");
        acquire(taker, Edition.VWS, otherGpu);

        HostRenewal back = leases.renewHost(host);

        assertThat(back.flagged()).isEqualTo(1);
        assertThat(fixtures.leases(slice)).containsExactly("seat/EXPIRED", "flagged/running");
        assertThat(fixtures.seatsHeld(Edition.VWS)).isEqualTo(1);

        // Once the seat is free again, the host's next report gives it to the flagged slice.
        release(taker);
        assertThat(leases.renewHost(host).seated()).isEqualTo(1);
        assertThat(fixtures.leases(slice)).containsExactly("seat/EXPIRED", "flagged/RELEASED", "seat/running");
    }

    @Test
    void renewingLeavesSlicesThatAreNotLiveAlone() {
        fixtures.entitleNow(Edition.VWS, 3);
        long failed = fixtures.slice(vws, gpu, "FAILED");
        long releasing = fixtures.slice(vws, gpu, "RELEASING");
        long unlicensedOffering = fixtures.offering(Edition.VPC);
        jdbc.sql("update offering set license_edition = null where id = ?").param(unlicensedOffering).update();
        long unlicensed = fixtures.slice(unlicensedOffering, fixtures.gpu(host), "READY");

        HostRenewal renewal = leases.renewHost(host);

        assertThat(renewal).isEqualTo(new HostRenewal(0, 0, 0));
        assertThat(fixtures.leases(failed)).isEmpty();
        assertThat(fixtures.leases(releasing)).isEmpty();
        assertThat(fixtures.leases(unlicensed)).isEmpty();
    }

    private Admission acquire(long slice, Edition edition, long gpuId) {
        return transactions.execute(tx -> leases.acquire(slice, edition, gpuId));
    }

    private void release(long slice) {
        transactions.executeWithoutResult(tx -> leases.release(slice, ReleaseReason.RELEASED));
    }
}
