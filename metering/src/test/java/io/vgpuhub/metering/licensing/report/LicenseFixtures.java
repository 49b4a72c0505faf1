package io.vgpuhub.metering.licensing.report;

import java.security.SecureRandom;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Slices, GPUs, leases, entitlements and samples written with SQL, as the lease and ingestion code would leave them. */
final class LicenseFixtures {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final long tenant;
    private final long user;

    LicenseFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
        int n = NEXT.incrementAndGet();
        tenant = jdbc.sql("insert into tenant (name) values (?) returning id").param("Tenant " + n + "-" + UUID.randomUUID())
                .query(Long.class).single();
        user = jdbc.sql("insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, 'U', ?)"
                + " returning id").params(tenant, "user" + n + "-" + RANDOM.nextInt(1_000_000), "$2a$10$abcdefghijklmnopqrstuv")
                .query(Long.class).single();
    }

    String tenantName() {
        return jdbc.sql("select name from tenant where id = ?").param(tenant).query(String.class).single();
    }

    /** A requested slice of the offering (the lease, not the slice's state, is what license reports read). */
    long slice(String offeringCode, String vmName) {
        return jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state)
                select ?, ?, ?, id, kind, ?, 'REQUESTED' from offering where code = ? returning id
                """).params(UUID.randomUUID(), tenant, user, vmName, offeringCode).query(Long.class).single();
    }

    UUID uuid(long sliceId) {
        return jdbc.sql("select uuid from slice where id = ?").param(sliceId).query(UUID.class).single();
    }

    /** A GPU on a host of its own, named hostName-&lt;n&gt;. */
    long gpu(String hostName) {
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        long host = jdbc.sql("insert into host (name, agent_token_hash, state) values (?, ?, 'ONLINE') returning id")
                .params(hostName + "-" + NEXT.incrementAndGet(), HexFormat.of().formatHex(token)).query(Long.class).single();
        return jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                values (?, '0000:41:00.0', ?, 'A40', 46068, 'VGPU') returning id
                """).params(host, "GPU-" + UUID.randomUUID()).query(Long.class).single();
    }

    /** A per-VM lease (seat_key slice:&lt;id&gt;); ended null: still running. */
    long lease(long slice, String edition, boolean holdsSeat, Instant acquired, Instant ended) {
        return lease(slice, edition, "slice:" + slice, null, holdsSeat, acquired, ended);
    }

    /** A per-GPU lease (seat_key gpu:&lt;id&gt;). */
    long gpuLease(long slice, String edition, long gpu, Instant acquired, Instant ended) {
        return lease(slice, edition, "gpu:" + gpu, gpu, true, acquired, ended);
    }

    long lease(long slice, String edition, String seatKey, Long gpu, boolean holdsSeat, Instant acquired, Instant ended) {
        return jdbc.sql("""
                insert into license_lease (slice_id, edition, gpu_id, seat_key, holds_seat, acquired_at, renewed_at,
                                           ended_at, end_reason)
                values (:slice, :edition, :gpu, :seatKey, :holds, :acquired, :renewed, :ended, :reason) returning id
                """)
                .param("slice", slice).param("edition", edition).param("gpu", gpu, Types.BIGINT)
                .param("seatKey", seatKey).param("holds", holdsSeat).param("acquired", utc(acquired))
                .param("renewed", utc(ended == null ? acquired : ended))
                .param("ended", ended == null ? null : utc(ended), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("reason", ended == null ? null : "RELEASED", Types.VARCHAR)
                .query(Long.class).single();
    }

    long entitlement(String edition, int seats, Instant from, Instant until) {
        return jdbc.sql("""
                insert into license_entitlement (edition, seats, valid_from, valid_until, order_reference)
                values (:edition, :seats, :from, :until, 'PO-TEST') returning id
                """)
                .param("edition", edition).param("seats", seats).param("from", utc(from))
                .param("until", until == null ? null : utc(until), Types.TIMESTAMP_WITH_TIMEZONE)
                .query(Long.class).single();
    }

    /** A usage sample with the guest's license state (null: the agent could not ask). */
    void sample(long slice, Instant at, String licenseState) {
        jdbc.sql("select usage_sample_ensure_partition(?)").param(utc(at)).query(String.class).single();
        jdbc.sql("""
                insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib,
                                          license_state)
                values (:slice, :batch, :at, 10, 100, :state)
                """)
                .param("slice", slice).param("batch", UUID.randomUUID()).param("at", utc(at))
                .param("state", licenseState, Types.VARCHAR).update();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
