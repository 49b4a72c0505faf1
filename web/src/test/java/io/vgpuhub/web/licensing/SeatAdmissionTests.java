package io.vgpuhub.web.licensing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.metering.licensing.NoSeatAvailableException;
import io.vgpuhub.web.agentapi.HostTokens;
import io.vgpuhub.web.slice.ObservedState;
import io.vgpuhub.web.slice.ProvisioningTimeouts;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceLifecycle;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Seats through the slice lifecycle: taken at the request, refused or flagged when none is free, given back at once
 * by release and failure, lapsing while the host is silent and taken again when it reports.
 */
@LicensingTest
class SeatAdmissionTests {

    private static final String HOST_TOKEN = "seat-admission-host-token-0123456789";

    @Autowired
    SliceRequests requests;

    @Autowired
    SliceLifecycle lifecycle;

    @Autowired
    ProvisioningTimeouts timeouts;

    @Autowired
    LeaseExpiry expiry;

    @Autowired
    SliceLicenses licenses;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    SeatCluster seats;
    Requester tenant;
    long host;
    long vws;

    @BeforeEach
    void aHostWithRoomForManyA40Slices() {
        seats = new SeatCluster(jdbc);
        host = seats.cluster.host();
        jdbc.sql("update host set agent_token_hash = ? where id = ?").params(HostTokens.hash(HOST_TOKEN), host).update();
        seats.cluster.gpu(host, "A40", "VGPU", 16);
        tenant = seats.cluster.tenant("Seats-" + UUID.randomUUID().toString().substring(0, 6), null, null);
        vws = seats.cluster.offering("A40-4Q");
    }

    @Test
    void aRequestWithoutAFreeSeatIsRefusedAndWritesNothing() {
        seats.entitle("VWS", 1);
        requests.request(tenant, vws, "first", 1);
        long before = seats.slices();

        assertThatThrownBy(() -> requests.request(tenant, vws, "second", 1))
                .isInstanceOfSatisfying(NoSeatAvailableException.class, refused -> {
                    assertThat(refused.editionName()).isEqualTo("NVIDIA RTX Virtual Workstation");
                    assertThat(refused.inUse()).isEqualTo(1);
                    assertThat(refused.entitled()).isEqualTo(1);
                });
        assertThat(seats.slices()).isEqualTo(before);
    }

    @Test
    void aRequestForMoreSlicesThanFreeSeatsIsRefusedAllOrNothing() {
        seats.entitle("VWS", 2);

        assertThatThrownBy(() -> requests.request(tenant, vws, "trio", 3)).isInstanceOf(NoSeatAvailableException.class);

        assertThat(seats.slices()).isZero();
        assertThat(seats.seatsHeld("VWS")).isZero();
        assertThat(requests.request(tenant, vws, "duo", 2)).hasSize(2);
    }

    @Test
    void entitlementsNotYetValidOrExpiredGrantNoSeat() {
        Instant now = Instant.now();
        seats.entitle("VWS", 10, now.plus(Duration.ofDays(2)), null);
        seats.entitle("VWS", 10, now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(1)));

        assertThatThrownBy(() -> requests.request(tenant, vws, "nothing-valid", 1))
                .isInstanceOfSatisfying(NoSeatAvailableException.class,
                        refused -> assertThat(refused.entitled()).isZero());
    }

    @Test
    void underAllowUnlicensedTheSliceIsCreatedAndFlagged() {
        seats.entitle("VWS", 1);
        seats.policy("VWS", "ALLOW_UNLICENSED");
        SliceView licensed = requests.request(tenant, vws, "with-seat", 1).get(0);

        SliceView flagged = requests.request(tenant, vws, "without-seat", 1).get(0);

        assertThat(seats.leases(flagged.uuid())).containsExactly("flagged/running");
        assertThat(seats.seatsHeld("VWS")).isEqualTo(1);
        assertThat(licenses.of(List.of(licensed, flagged)))
                .containsEntry(licensed.id(), LicenseStatus.LICENSED)
                .containsEntry(flagged.id(), LicenseStatus.UNLICENSED);
    }

    @Test
    void releasingAPlacedSliceReturnsItsSeatAtOnce() {
        seats.entitle("VWS", 1);
        SliceView first = requests.request(tenant, vws, "first", 1).get(0);
        assertThatThrownBy(() -> requests.request(tenant, vws, "second", 1)).isInstanceOf(NoSeatAvailableException.class);

        lifecycle.release(tenant, first.uuid());

        assertThat(requests.request(tenant, vws, "second", 1)).hasSize(1);
        assertThat(seats.leases(first.uuid())).containsExactly("seat/RELEASED");
    }

    @Test
    void releasingAReadySliceReturnsItsSeatBeforeTheHostRemovesTheDevice() {
        seats.entitle("VWS", 1);
        SliceView ready = requests.request(tenant, vws, "ready", 1).get(0);
        lifecycle.observe(host, "host", ready.uuid(), ObservedState.READY, null, null);

        lifecycle.release(tenant, ready.uuid());

        assertThat(lifecycle.sliceOf(tenant.tenantId(), ready.uuid()).state().name()).isEqualTo("RELEASING");
        assertThat(seats.seatsHeld("VWS")).isZero();
        assertThat(requests.request(tenant, vws, "next", 1)).hasSize(1);
        lifecycle.observe(host, "host", ready.uuid(), ObservedState.ABSENT, null, null);
        assertThat(seats.leases(ready.uuid())).containsExactly("seat/RELEASED");
    }

    @Test
    void aFailedSliceGivesItsSeatBack() {
        seats.entitle("VWS", 1);
        SliceView stuck = requests.request(tenant, vws, "stuck", 1).get(0);

        timeouts.failStuckSlices(Instant.now().plus(Duration.ofHours(1)));

        assertThat(seats.leases(stuck.uuid())).containsExactly("seat/FAILED");
        assertThat(seats.seatsHeld("VWS")).isZero();
    }

    @Test
    void aLeaseLapsesWhileItsHostIsSilentAndIsTakenAgainWhenItReports() throws Exception {
        seats.entitle("VWS", 1);
        SliceView slice = requests.request(tenant, vws, "long-runner", 1).get(0);
        lifecycle.observe(host, "host", slice.uuid(), ObservedState.READY, null, null);
        seats.ageLease(slice.uuid(), 10);

        heartbeat();
        assertThat(expiry.expireStale(Instant.now().plus(Duration.ofMinutes(14)))).as("renewed by the heartbeat").isEmpty();

        assertThat(expiry.expireStale(Instant.now().plus(Duration.ofMinutes(16)))).singleElement()
                .satisfies(lease -> assertThat(lease.sliceUuid()).isEqualTo(slice.uuid()));
        assertThat(seats.seatsHeld("VWS")).isZero();
        assertThat(jdbc.sql("select detail from audit_event where action = 'license.lease.expired' and target = ?")
                .param("slice " + slice.uuid()).query(String.class).single())
                .contains("VWS lease expired", "its seat is free again");
        assertThat(licenses.of(List.of(lifecycle.sliceOf(tenant.tenantId(), slice.uuid()))))
                .containsEntry(slice.id(), LicenseStatus.UNLICENSED);

        heartbeat();

        assertThat(seats.leases(slice.uuid())).containsExactly("seat/EXPIRED", "seat/running");
        assertThat(seats.seatsHeld("VWS")).isEqualTo(1);
    }

    @Test
    void aSliceWhoseSeatWasTakenWhileItsHostWasSilentRunsOnFlaggedNotRefused() throws Exception {
        seats.entitle("VWS", 1);
        SliceView slice = requests.request(tenant, vws, "long-runner", 1).get(0);
        lifecycle.observe(host, "host", slice.uuid(), ObservedState.READY, null, null);
        seats.ageLease(slice.uuid(), 20);
        expiry.expireStale(Instant.now());
        SliceView newcomer = requests.request(tenant, vws, "newcomer", 1).get(0);

        heartbeat();

        assertThat(seats.leases(slice.uuid())).containsExactly("seat/EXPIRED", "flagged/running");
        assertThat(lifecycle.sliceOf(tenant.tenantId(), slice.uuid()).state().name()).isEqualTo("READY");
        assertThat(seats.seatsHeld("VWS")).isEqualTo(1);

        lifecycle.release(tenant, newcomer.uuid());
        heartbeat();
        assertThat(seats.leases(slice.uuid())).containsExactly("seat/EXPIRED", "flagged/RELEASED", "seat/running");
    }

    private void heartbeat() throws Exception {
        mvc.perform(post("/api/agent/v1/heartbeat").header("Authorization", "Bearer " + HOST_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isNoContent());
    }
}
