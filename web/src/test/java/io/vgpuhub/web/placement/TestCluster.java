package io.vgpuhub.web.placement;

import java.sql.Types;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.vgpuhub.web.licensing.LicenseSeatFixtures;
import io.vgpuhub.web.slice.Requester;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Builds hosts, GPUs, virtual functions, discovered types and tenants with plain SQL, and wipes them again. Public for
 * the placement benchmark.
 */
public final class TestCluster {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private final JdbcClient jdbc;

    public TestCluster(JdbcClient jdbc) {
        this.jdbc = jdbc;
        LicenseSeatFixtures.grantGenerousSeats(jdbc);
    }

    /** Removes every slice and GPU, and the hosts and tenants these tests made. */
    public void wipe() {
        jdbc.sql("truncate slice, gpu cascade").update();
        jdbc.sql("delete from host where name like 'pt-%'").update();
        jdbc.sql("delete from app_user where username like 'pt-%'").update();
        jdbc.sql("delete from tenant where name like 'pt-%'").update();
    }

    /** Removes every slice but keeps the GPUs, as if none had ever been requested. */
    public void removeSlices() {
        jdbc.sql("truncate slice cascade").update();
    }

    /** An ONLINE host whose agent reported just now. */
    public long host() {
        return host("ONLINE", true);
    }

    public long host(String state, boolean reportedRecently) {
        int n = NEXT.incrementAndGet();
        return jdbc.sql("""
                insert into host (name, agent_token_hash, state, last_seen_at)
                values (?, ?, ?, case when ? then now() else now() - interval '1 hour' end) returning id
                """).params("pt-host-" + n, "%064x".formatted(n), state, reportedRecently).query(Long.class).single();
    }

    /** A GPU with {@code vfs} virtual functions; {@code vfs == 0} makes it a GPU without SR-IOV (like a T4). */
    public long gpu(long hostId, String model, String mode, int vfs) {
        int n = NEXT.incrementAndGet();
        String bus = "%02x".formatted(n % 256);
        long gpuId = jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, mig_capable, sriov)
                values (?, ?, ?, ?, 46068, ?, ?, ?, ?) returning id
                """).params(hostId, "0000:" + bus + ":00.0", "GPU-" + UUID.randomUUID(), model, mode, mode,
                mode.equals("MIG"), vfs > 0).query(Long.class).single();
        for (int i = 0; i < vfs; i++) {
            jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (?, ?)")
                    .params(gpuId, "0000:%s:%02x.%d".formatted(bus, 1 + i / 8, i % 8)).update();
        }
        return gpuId;
    }

    public void discoveredVgpuType(long gpuId, String vgpuType, int maxInstances) {
        jdbc.sql("insert into gpu_vgpu_type (gpu_id, vgpu_type, framebuffer_mib, max_instances) values (?, ?, 8192, ?)")
                .params(gpuId, vgpuType, maxInstances).update();
    }

    public void discoveredMigProfile(long gpuId, String profile, int slices, String starts, int maxInstances) {
        jdbc.sql("""
                insert into gpu_mig_profile (gpu_id, mig_profile, mig_slices, start_slots, max_instances, memory_mib)
                values (?, ?, ?, ?::integer[], ?, 4864)
                """).params(gpuId, profile, slices, starts, maxInstances).update();
    }

    public long offering(String code) {
        return jdbc.sql("select id from offering where code = ?").param(code).query(Long.class).single();
    }

    /** A tenant with one TENANT_USER, and optional quotas (null: no limit). */
    public Requester tenant(String name, Integer maxSlices, Long maxFramebufferMib) {
        long tenantId = jdbc.sql("""
                insert into tenant (name, quota_max_slices, quota_max_framebuffer_mib) values (?, ?, ?) returning id
                """).param(1, "pt-" + name).param(2, maxSlices, Types.INTEGER).param(3, maxFramebufferMib, Types.BIGINT)
                .query(Long.class).single();
        String username = "pt-" + name.toLowerCase();
        long userId = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, ?, ?) returning id
                """).params(tenantId, username, name, "{noop}not-a-real-password-hash").query(Long.class).single();
        jdbc.sql("insert into user_role (user_id, role) values (?, 'TENANT_USER')").param(userId).update();
        return new Requester(tenantId, userId, "user:" + username);
    }

    public long liveSlices() {
        return jdbc.sql("select count(*) from slice where state <> 'RELEASED'").query(Long.class).single();
    }

    public long allSlicesAndEvents() {
        return jdbc.sql("select (select count(*) from slice) + (select count(*) from slice_event)").query(Long.class).single();
    }

    public void setState(UUID slice, String state) {
        jdbc.sql("""
                update slice set state = ?, failure_reason = case when ? = 'FAILED' then 'test' end,
                       released_at = case when ? = 'RELEASED' then now() end where uuid = ?
                """).params(state, state, state, slice).update();
    }
}
