package io.vgpuhub.web.licensing;

import java.time.Duration;
import java.time.Instant;

import io.vgpuhub.web.placement.TestCluster;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Entitlements, admission policies and leases for the seat tests, over a {@link TestCluster} of their own. Starts
 * from nothing: no slice, no GPU, no entitlement (not even the generous ones other tests get), every edition REFUSE.
 * Tenants are named uniquely by the tests, as they are kept.
 */
final class SeatCluster {

    final TestCluster cluster;
    private final JdbcClient jdbc;

    SeatCluster(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.cluster = new TestCluster(jdbc);
        // Slices, leases and GPUs go; tenants stay (their tokens and audit events hold on to them), each test makes its own.
        cluster.removeSlices();
        jdbc.sql("truncate gpu cascade").update();
        jdbc.sql("delete from host where name like 'pt-%'").update();
        LicenseSeatFixtures.clearEntitlements(jdbc);
    }

    /** A perpetual entitlement valid since yesterday. */
    void entitle(String edition, int seats) {
        entitle(edition, seats, Instant.now().minus(Duration.ofDays(1)), null);
    }

    void entitle(String edition, int seats, Instant from, Instant until) {
        LicenseSeatFixtures.entitle(jdbc, edition, seats, from, until, "PO-TEST");
    }

    void policy(String edition, String policy) {
        jdbc.sql("update license_edition set admission_policy = ? where code = ?").params(policy, edition).update();
    }

    /** Seats held now by running leases of the edition. */
    long seatsHeld(String edition) {
        return jdbc.sql("""
                select count(distinct seat_key) from license_lease where edition = ? and ended_at is null and holds_seat
                """).param(edition).query(Long.class).single();
    }

    /** The slice's leases, oldest first, as "seat/running", "flagged/RELEASED" and the like. */
    java.util.List<String> leases(java.util.UUID slice) {
        return jdbc.sql("""
                select case when l.holds_seat then 'seat' else 'flagged' end || '/' || coalesce(l.end_reason, 'running')
                from license_lease l join slice s on s.id = l.slice_id where s.uuid = ? order by l.id
                """).param(slice).query(String.class).list();
    }

    long slices() {
        return jdbc.sql("select count(*) from slice").query(Long.class).single();
    }

    /** Moves the slice's running lease back in time, as if its host had last reported {@code minutesAgo}. */
    void ageLease(java.util.UUID slice, int minutesAgo) {
        jdbc.sql("""
                update license_lease set acquired_at = acquired_at - make_interval(mins => ?),
                       renewed_at = renewed_at - make_interval(mins => ?)
                where ended_at is null and slice_id = (select id from slice where uuid = ?)
                """).params(minutesAgo, minutesAgo, slice).update();
    }
}
