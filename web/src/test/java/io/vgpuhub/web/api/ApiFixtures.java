package io.vgpuhub.web.api;

import java.util.UUID;

import io.vgpuhub.web.agentapi.HostTokens;
import io.vgpuhub.web.apitoken.ApiTokens;
import io.vgpuhub.web.licensing.LicenseSeatFixtures;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Tenants, users, tokens and an online host with free A40 capacity, written the way the product writes them. */
final class ApiFixtures {

    private final JdbcClient jdbc;
    private final ApiTokens tokens;

    ApiFixtures(JdbcClient jdbc, ApiTokens tokens) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        LicenseSeatFixtures.grantGenerousSeats(jdbc);
    }

    long tenant(String name) {
        jdbc.sql("insert into tenant (name) values (?) on conflict (name) do nothing").param(name).update();
        return jdbc.sql("select id from tenant where name = ?").param(name).query(Long.class).single();
    }

    long user(long tenantId, String username) {
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, ?, ?, '{noop}not-a-real-password-hash') on conflict (username) do nothing
                """).params(tenantId, username, username).update();
        long id = jdbc.sql("select id from app_user where username = ?").param(username).query(Long.class).single();
        jdbc.sql("insert into user_role (user_id, role) values (?, 'TENANT_USER') on conflict do nothing").param(id).update();
        return id;
    }

    /** A fresh token of a fresh name, as the given user's. */
    String token(long tenantId, long userId) {
        return tokens.issue(tenantId, userId, "test", "t-" + UUID.randomUUID().toString().substring(0, 8), null).secret();
    }

    /** An online host with one empty A40 in vGPU mode and {@code vfs} free virtual functions; returns the host id. */
    long onlineA40Host(String name, int vfs) {
        long hostId = jdbc.sql("""
                insert into host (name, agent_token_hash, state, last_seen_at) values (?, ?, 'ONLINE', now()) returning id
                """).params(name, HostTokens.hash(UUID.randomUUID().toString())).query(Long.class).single();
        long gpuId = jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                values (?, '0000:41:00.0', ?, 'A40', 46068, 'VGPU') returning id
                """).params(hostId, "GPU-" + UUID.randomUUID()).query(Long.class).single();
        for (int vf = 0; vf < vfs; vf++) {
            jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (?, ?)")
                    .params(gpuId, "0000:41:%02x.%d".formatted(1 + vf / 8, vf % 8)).update();
        }
        return hostId;
    }

    void keepHostsReporting() {
        jdbc.sql("update host set last_seen_at = now() where state = 'ONLINE'").update();
    }

    long offering(String code) {
        return jdbc.sql("select id from offering where code = ?").param(code).query(Long.class).single();
    }

    long slices() {
        return jdbc.sql("select count(*) from slice").query(Long.class).single();
    }
}
