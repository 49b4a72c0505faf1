package io.vgpuhub.metering.licensing.report;

import static io.vgpuhub.metering.SqlTime.utc;

import java.sql.Types;
import java.time.Instant;
import java.util.UUID;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.LeaseFixtures;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Slices, GPUs, leases, entitlements and samples written with SQL, as the lease and ingestion code would leave them.
 * The tenant, hosts and entitlements are {@link LeaseFixtures}', which also clears entitlements and admission policies.
 */
final class LicenseFixtures {

    private final JdbcClient jdbc;
    private final LeaseFixtures base;

    LicenseFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.base = new LeaseFixtures(jdbc);
    }

    String tenantName() {
        return jdbc.sql("select name from tenant where id = ?").param(base.tenant).query(String.class).single();
    }

    /** A requested slice of the offering (the lease, not the slice's state, is what license reports read). */
    long slice(String offeringCode, String vmName) {
        return jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state)
                select ?, ?, ?, id, kind, ?, 'REQUESTED' from offering where code = ? returning id
                """).params(UUID.randomUUID(), base.tenant, base.user, vmName, offeringCode).query(Long.class).single();
    }

    UUID uuid(long sliceId) {
        return jdbc.sql("select uuid from slice where id = ?").param(sliceId).query(UUID.class).single();
    }

    /** An A40 on a host of its own, named hostName-&lt;random&gt;. */
    long gpu(String hostName) {
        long host = base.host(hostName);
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
        return base.entitle(Edition.valueOf(edition), seats, from, until);
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
}
