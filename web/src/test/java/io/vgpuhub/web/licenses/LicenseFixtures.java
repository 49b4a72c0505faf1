package io.vgpuhub.web.licenses;

import java.security.SecureRandom;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.vgpuhub.web.licensing.LicenseSeatFixtures;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Slices of alice's tenant, leases, entitlements and samples written with SQL, as the lease code would leave them. */
final class LicenseFixtures {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    LicenseFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Leases and entitlements are this context's own; tests start from none. */
    void clear() {
        jdbc.sql("delete from license_lease").update();
        LicenseSeatFixtures.clearEntitlements(jdbc);
        jdbc.sql("update offering set license_edition = 'VCS' where kind = 'PASSTHROUGH'").update();
    }

    /** A requested slice of alice's tenant (the lease, not the slice's state, is what license pages read). */
    long slice(String offeringCode, String vmName) {
        return jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state)
                select ?, u.tenant_id, u.id, o.id, o.kind, ?, 'REQUESTED' from app_user u, offering o
                where u.username = 'alice' and o.code = ? returning id
                """).params(UUID.randomUUID(), vmName, offeringCode).query(Long.class).single();
    }

    UUID uuid(long sliceId) {
        return jdbc.sql("select uuid from slice where id = ?").param(sliceId).query(UUID.class).single();
    }

    long gpu(String hostPrefix) {
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        long host = jdbc.sql("insert into host (name, agent_token_hash, state) values (?, ?, 'ONLINE') returning id")
                .params(hostPrefix + "-" + NEXT.incrementAndGet(), HexFormat.of().formatHex(token)).query(Long.class).single();
        return jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                values (?, '0000:41:00.0', ?, 'A40', 46068, 'VGPU') returning id
                """).params(host, "GPU-" + UUID.randomUUID()).query(Long.class).single();
    }

    long lease(long slice, String edition, String seatKey, boolean holdsSeat, Instant acquired, Instant ended) {
        return jdbc.sql("""
                insert into license_lease (slice_id, edition, seat_key, holds_seat, acquired_at, renewed_at, ended_at,
                                           end_reason)
                values (:slice, :edition, :seatKey, :holds, :acquired, :acquired, :ended, :reason) returning id
                """)
                .param("slice", slice).param("edition", edition).param("seatKey", seatKey).param("holds", holdsSeat)
                .param("acquired", utc(acquired))
                .param("ended", ended == null ? null : utc(ended), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("reason", ended == null ? null : "RELEASED", Types.VARCHAR)
                .query(Long.class).single();
    }

    long lease(long slice, String edition, boolean holdsSeat, Instant acquired, Instant ended) {
        return lease(slice, edition, "slice:" + slice, holdsSeat, acquired, ended);
    }

    long entitlement(String edition, int seats, Instant from, Instant until, String orderReference) {
        return LicenseSeatFixtures.entitle(jdbc, edition, seats, from, until, orderReference);
    }

    void sample(long slice, Instant at, String licenseState) {
        jdbc.sql("select usage_sample_ensure_partition(?)").param(utc(at)).query(String.class).single();
        jdbc.sql("""
                insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib,
                                          license_state)
                values (?, ?, ?, 10, 100, ?)
                """).params(slice, UUID.randomUUID(), utc(at), licenseState).update();
    }

    long entitlements() {
        return jdbc.sql("select count(*) from license_entitlement").query(Long.class).single();
    }

    long audits(String action) {
        return jdbc.sql("select count(*) from audit_event where action = ?").param(action).query(Long.class).single();
    }

    long allAudits() {
        return jdbc.sql("select count(*) from audit_event").query(Long.class).single();
    }

    static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
