package io.vgpuhub.web.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.vgpuhub.metering.licensing.LicensingSettings;
import io.vgpuhub.metering.licensing.SeatLeases;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** An agent calls several times a minute; its host's leases are renewed at most once per renew interval. */
@LicensingTest
class LeaseRenewalThrottleTests {

    @Autowired
    SliceRequests requests;

    @Autowired
    SeatLeases seatLeases;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcClient jdbc;

    SeatCluster seats;
    Requester tenant;
    long host;
    long otherHost;
    long vws;

    @BeforeEach
    void twoHostsWithA40s() {
        seats = new SeatCluster(jdbc);
        host = seats.cluster.host();
        otherHost = seats.cluster.host();
        seats.cluster.gpu(host, "A40", "VGPU", 16);
        seats.cluster.gpu(otherHost, "A40", "VGPU", 16);
        tenant = seats.cluster.tenant("Renewals-" + UUID.randomUUID().toString().substring(0, 6), null, null);
        vws = seats.cluster.offering("A40-4Q");
        seats.entitle("VWS", 10);
    }

    @Test
    void aHostsLeasesAreRenewedOnceWithinTheIntervalWhileAnotherHostIsNotHeldBack() {
        LeaseRenewal hourly = new LeaseRenewal(seatLeases,
                new LicensingSettings(Duration.ofMinutes(15), Duration.ofHours(1)), transactions, jdbc, Clock.systemUTC());
        SliceView slice = requests.request(tenant, vws, "renewed-vm", 2).stream()
                .filter(s -> onHost(s, host)).findFirst().orElseThrow();
        SliceView other = requests.request(tenant, vws, "other-vm", 2).stream()
                .filter(s -> onHost(s, otherHost)).findFirst().orElseThrow();
        seats.ageLease(slice.uuid(), 10);

        hourly.heardFrom(host);
        assertThat(minutesSinceRenewal(slice)).as("the first report renews").isZero();

        seats.ageLease(slice.uuid(), 5);
        hourly.heardFrom(host);
        assertThat(minutesSinceRenewal(slice)).as("a second report within the hour does not").isEqualTo(5);

        seats.ageLease(other.uuid(), 5);
        hourly.heardFrom(otherHost);
        assertThat(minutesSinceRenewal(other)).as("another host has its own interval").isZero();
    }

    private boolean onHost(SliceView slice, long hostId) {
        return jdbc.sql("select g.host_id from slice s join gpu g on g.id = s.gpu_id where s.id = ?").param(slice.id())
                .query(Long.class).single() == hostId;
    }

    private long minutesSinceRenewal(SliceView slice) {
        return jdbc.sql("""
                select floor(extract(epoch from now() - renewed_at) / 60) from license_lease
                where ended_at is null and slice_id = ?""").param(slice.id()).query(Long.class).single();
    }
}
