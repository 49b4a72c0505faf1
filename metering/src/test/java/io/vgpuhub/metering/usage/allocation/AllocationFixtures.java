package io.vgpuhub.metering.usage.allocation;

import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The smallest valid slice rows the allocation tests need (after db's SchemaFixtures): a tenant, its user, a host, and
 * per slice a passthrough GPU of its own, so that any number of slices may be live at once.
 */
final class AllocationFixtures {

    /** Marks the slices these tests make, so each test can clear their hourly rows. */
    static final String VM_PREFIX = "alloc-";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final JdbcClient jdbc;
    private final long tenantId;
    private final long userId;
    private final long hostId;
    private final long offeringId;

    AllocationFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
        String suffix = UUID.randomUUID().toString().substring(0, 8) + "-" + SEQUENCE.incrementAndGet();
        this.tenantId = jdbc.sql("insert into tenant (name) values (?) returning id").param("alloc-" + suffix)
                .query(Long.class).single();
        this.userId = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, ?, 'Allocation Test', '{noop}not-a-real-password-hash') returning id""")
                .params(tenantId, "alloc-" + suffix).query(Long.class).single();
        this.hostId = jdbc.sql("insert into host (name, agent_token_hash) values (?, ?) returning id")
                .params("alloc-" + suffix, hex(64)).query(Long.class).single();
        this.offeringId = jdbc.sql("select id from offering where code = 'A40 whole GPU'").query(Long.class).single();
    }

    /** A slice READY since {@code readyAt}, still running. */
    long ready(Instant readyAt) {
        return insert("READY", readyAt, null, null);
    }

    /** A slice that was READY from {@code readyAt} and RELEASED at {@code releasedAt}. */
    long released(Instant readyAt, Instant releasedAt) {
        return insert("RELEASED", readyAt, releasedAt, null);
    }

    /** A slice that failed while its host was creating it: never READY. */
    long failedInProvisioning() {
        return insert("FAILED", null, null, "the agent could not create the device");
    }

    /** A slice released before it ever became READY. */
    long releasedUnready(Instant releasedAt) {
        return insert("RELEASED", null, releasedAt, null);
    }

    void release(long sliceId, Instant releasedAt) {
        jdbc.sql("update slice set state = 'RELEASED', released_at = :at where id = :id")
                .param("at", releasedAt.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE).param("id", sliceId)
                .update();
    }

    private long insert(String state, Instant readyAt, Instant releasedAt, String failureReason) {
        int n = SEQUENCE.incrementAndGet();
        Long gpuId = state.equals("RELEASED") ? null : jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, sriov)
                values (?, ?, ?, 'A40', 46068, 'PASSTHROUGH', 'PASSTHROUGH', false) returning id""")
                .params(hostId, "0000:%02x:%02x.0".formatted(n / 32 % 256, n % 32), gpuUuid())
                .query(Long.class).single();
        return jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id,
                                   failure_reason, ready_at, released_at)
                values (:uuid, :tenant, :user, :offering, 'PASSTHROUGH', :vm, :state, :gpu, :reason, :readyAt, :releasedAt)
                returning id""")
                .param("uuid", UUID.randomUUID())
                .param("tenant", tenantId)
                .param("user", userId)
                .param("offering", offeringId)
                .param("vm", VM_PREFIX + n)
                .param("state", state)
                .param("gpu", gpuId, Types.BIGINT)
                .param("reason", failureReason, Types.VARCHAR)
                .param("readyAt", readyAt == null ? null : readyAt.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("releasedAt", releasedAt == null ? null : releasedAt.atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE)
                .query(Long.class).single();
    }

    private static String gpuUuid() {
        String h = hex(32);
        return "GPU-%s-%s-%s-%s-%s".formatted(h.substring(0, 8), h.substring(8, 12), h.substring(12, 16),
                h.substring(16, 20), h.substring(20));
    }

    private static String hex(int length) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < length) {
            hex.append(UUID.randomUUID().toString().replace("-", ""));
        }
        return hex.substring(0, length);
    }
}
