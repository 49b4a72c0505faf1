package io.vgpuhub.web.portal;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.vgpuhub.web.licensing.LicenseSeatFixtures;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Tenants, users, hosts, GPUs and slices of their own for the portal's page tests. Every name is unique, so tests
 * that share the application context (and its database) never see each other's rows; hosts are left offline unless
 * a test needs capacity, and {@link #takeOffline} puts them back.
 */
class PortalFixtures {

    /** A vGPU offering on a GPU model no other test uses, so its capacity is only what these tests create. */
    static final String TEST_MODEL = "PT1";
    static final String TEST_VGPU = "PT1-4Q";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final UserDetailsService users;

    PortalFixtures(JdbcClient jdbc, PasswordEncoder passwords, UserDetailsService users) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.users = users;
        LicenseSeatFixtures.grantGenerousSeats(jdbc);
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    /** A new tenant and one TENANT_USER in it (password "demo"). */
    Tenant tenant() {
        String name = unique("tenant");
        long tenantId = jdbc.sql("insert into tenant (name) values (?) returning id").param(name).query(Long.class).single();
        String username = unique("user").toLowerCase();
        long userId = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, ?, ?) returning id
                """).params(tenantId, username, "Test user of " + name, passwords.encode("demo")).query(Long.class).single();
        jdbc.sql("insert into user_role (user_id, role) values (?, 'TENANT_USER')").param(userId).update();
        return new Tenant(tenantId, name, userId, username);
    }

    PortalUser user(String username) {
        return (PortalUser) users.loadUserByUsername(username);
    }

    void quota(long tenantId, Integer maxSlices, Long maxFramebufferMib) {
        jdbc.sql("update tenant set quota_max_slices = ?, quota_max_framebuffer_mib = ? where id = ?")
                .params(maxSlices, maxFramebufferMib, tenantId).update();
    }

    /** The PT1-4Q offering (4 GiB, 4 per GPU, vWS), created once; visible to every tenant unless restricted. */
    long testOffering() {
        jdbc.sql("""
                insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu,
                                      license_edition, price_per_hour)
                values (?, 'VGPU', ?, ?, 4096, 4, 'VWS', 0.25)
                on conflict (code) do nothing
                """).params(TEST_VGPU, TEST_MODEL, TEST_VGPU).update();
        return offering(TEST_VGPU);
    }

    long offering(String code) {
        return jdbc.sql("select id from offering where code = ?").param(code).query(Long.class).single();
    }

    /** An offering on the test model that only these tenants see. */
    long restrictedOffering(long... tenantIds) {
        return restrictedOffering(TEST_MODEL, tenantIds);
    }

    /** An offering on {@code gpuModel} that only these tenants see. */
    long restrictedOffering(String gpuModel, long... tenantIds) {
        // vgpu_type allows only letters and digits before the size: PTKQWMZRAB-2Q.
        String code = "PT" + ThreadLocalRandom.current().ints(8, 'A', 'Z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append) + "-2Q";
        long id = jdbc.sql("""
                insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu,
                                      license_edition, price_per_hour)
                values (?, 'VGPU', ?, ?, 2048, 8, 'VWS', 0.125) returning id
                """).params(code, gpuModel, code).query(Long.class).single();
        for (long tenantId : tenantIds) {
            jdbc.sql("insert into offering_tenant (offering_id, tenant_id) values (?, ?)").params(id, tenantId).update();
        }
        return id;
    }

    String code(long offeringId) {
        return jdbc.sql("select code from offering where id = ?").param(offeringId).query(String.class).single();
    }

    /** A host; online (with a fresh heartbeat) when {@code online}, so placement and free capacity count it. */
    long host(boolean online) {
        String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        return jdbc.sql("""
                insert into host (name, agent_token_hash, state, last_seen_at) values (?, ?, ?, ?) returning id
                """).params(unique("host"), token, online ? "ONLINE" : "OFFLINE",
                        online ? java.sql.Timestamp.from(java.time.Instant.now()) : null)
                .query(Long.class).single();
    }

    void takeOffline(long hostId) {
        jdbc.sql("update host set state = 'OFFLINE', last_seen_at = null where id = ?").param(hostId).update();
    }

    /** A GPU of {@code model} in {@code mode} with {@code vfs} virtual functions; returns its id. */
    Gpu gpu(long hostId, String model, String mode, int vfs) {
        int bus = ThreadLocalRandom.current().nextInt(0x10, 0xff);
        String pci = "0000:%02x:00.0".formatted(bus);
        while (jdbc.sql("select count(*) from gpu where host_id = ? and pci_address = ?").params(hostId, pci)
                .query(Long.class).single() > 0) {
            bus = ThreadLocalRandom.current().nextInt(0x10, 0xff);
            pci = "0000:%02x:00.0".formatted(bus);
        }
        String uuid = "GPU-" + UUID.randomUUID();
        long gpuId = jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, mig_capable)
                values (?, ?, ?, ?, 49152, ?, ?, ?) returning id
                """).params(hostId, pci, uuid, model, mode, mode, mode.equals("MIG")).query(Long.class).single();
        for (int vf = 1; vf <= vfs; vf++) {
            jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (?, ?)")
                    .params(gpuId, "0000:%02x:00.%d".formatted(bus, vf)).update();
        }
        return new Gpu(gpuId, pci);
    }

    List<Long> vfs(long gpuId) {
        return jdbc.sql("select id from virtual_function where gpu_id = ? order by pci_address").param(gpuId)
                .query(Long.class).list();
    }

    /** Inserts a slice as it would be after these states, with its placement; returns its UUID. */
    UUID slice(Tenant tenant, String offeringCode, String vmName, String state, Long gpuId, Long vfId,
            Integer migStart, Integer migSize, String deviceUuid, String failureReason) {
        UUID uuid = UUID.randomUUID();
        jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id, vf_id,
                                   mig_start_slot, mig_size, device_uuid, failure_reason, ready_at, released_at)
                select :uuid, :tenantId, :userId, o.id, o.kind, :vmName, :state, :gpuId, :vfId, :migStart, :migSize,
                       :deviceUuid, :reason,
                       case when :state in ('READY', 'RELEASING', 'RELEASED') then now() - interval '2 hours' end,
                       case when :state = 'RELEASED' then now() - interval '30 minutes' end
                from offering o where o.code = :code
                """).param("uuid", uuid).param("tenantId", tenant.id()).param("userId", tenant.userId())
                .param("vmName", vmName).param("state", state).param("gpuId", gpuId, java.sql.Types.BIGINT)
                .param("vfId", vfId, java.sql.Types.BIGINT).param("migStart", migStart, java.sql.Types.INTEGER)
                .param("migSize", migSize, java.sql.Types.INTEGER).param("deviceUuid", deviceUuid)
                .param("reason", failureReason).param("code", offeringCode).update();
        return uuid;
    }

    String stateOf(UUID slice) {
        return jdbc.sql("select state from slice where uuid = ?").param(slice).query(String.class).single();
    }

    long slicesOf(long tenantId) {
        return jdbc.sql("select count(*) from slice where tenant_id = ?").param(tenantId).query(Long.class).single();
    }

    long allSlices() {
        return jdbc.sql("select count(*) from slice").query(Long.class).single();
    }

    record Tenant(long id, String name, long userId, String username) {
    }

    record Gpu(long id, String pciAddress) {
    }
}
