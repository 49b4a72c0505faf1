package io.vgpuhub.metering.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Hosts, GPUs and slices written straight to the database, and counts of what usage left there. */
record UsageFixtures(JdbcClient jdbc) {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    long host() {
        return insert("insert into host (name, agent_token_hash) values (?, ?) returning id",
                "usage-host-" + SEQUENCE.incrementAndGet(), (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", ""));
    }

    /** A READY vGPU slice on a new GPU of the host, requested at {@code createdAt}. */
    long slice(long host, Instant createdAt) {
        int n = SEQUENCE.incrementAndGet();
        long gpu = insert("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode)
                values (?, ?, ?, 'A40', 46068, 'VGPU', 'VGPU') returning id
                """, host, "0000:%02x:00.0".formatted(n % 256), "GPU-" + UUID.randomUUID());
        long vf = insert("insert into virtual_function (gpu_id, pci_address) values (?, ?) returning id",
                gpu, "0000:%02x:00.1".formatted(n % 256));
        long tenant = insert("insert into tenant (name) values (?) returning id", "usage-tenant-" + n);
        long user = insert("insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, 'U', ?)"
                + " returning id", tenant, "usage-user-" + n, "$2a$10$abcdefghijklmnopqrstuv");
        return insert("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id, vf_id,
                                   created_at)
                select ?, ?, ?, o.id, 'VGPU', 'vm-usage', 'READY', ?, ?, ? from offering o where o.code = 'A40-8Q'
                returning id
                """, UUID.randomUUID(), tenant, user, gpu, vf, createdAt.atOffset(ZoneOffset.UTC));
    }

    long slice(long host) {
        return slice(host, Instant.now().minusSeconds(7 * 24 * 3600));
    }

    long samples(long slice) {
        return count("select count(*) from usage_sample where slice_id = ?", slice);
    }

    long hourlyRows(long slice) {
        return count("select count(*) from usage_hourly where slice_id = ?", slice);
    }

    long batches(UUID batch) {
        return count("select count(*) from usage_batch where batch_id = ?", batch);
    }

    long count(String sql, Object param) {
        return jdbc.sql(sql).param(param).query(Long.class).single();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private long insert(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }
}
