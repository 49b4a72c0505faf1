package io.vgpuhub.web.agentapi;

import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.vgpuhub.web.licensing.LicenseSeatFixtures;
import io.vgpuhub.web.slice.Requester;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/** Hosts with tokens, GPUs, tenants and slices in any state, written straight to the database. */
@TestComponent
public class AgentApiFixtures {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** The transitions that lead to each state; a FAILED slice here failed after its host was sent it. */
    private static final Map<String, List<String>> HISTORY = Map.of(
            "PLACED", List.of("REQUESTED", "PLACED"),
            "PROVISIONING", List.of("REQUESTED", "PLACED", "PROVISIONING"),
            "READY", List.of("REQUESTED", "PLACED", "PROVISIONING", "READY"),
            "RELEASING", List.of("REQUESTED", "PLACED", "PROVISIONING", "READY", "RELEASING"),
            "FAILED", List.of("REQUESTED", "PLACED", "PROVISIONING", "FAILED"));

    private final JdbcClient jdbc;

    AgentApiFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
        LicenseSeatFixtures.grantGenerousSeats(jdbc);
    }

    /** A host (OFFLINE, never seen) and the bearer token its agent uses; requests to the agent API as that agent. */
    public record Host(long id, String name, String token) {

        public MockHttpServletRequestBuilder get(String path) {
            return MockMvcRequestBuilders.get("/api/agent/v1" + path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }

        public MockHttpServletRequestBuilder post(String path, String json) {
            return MockMvcRequestBuilders.post("/api/agent/v1" + path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .contentType(MediaType.APPLICATION_JSON).content(json);
        }

        public MockHttpServletRequestBuilder put(String path, String json) {
            return MockMvcRequestBuilders.put("/api/agent/v1" + path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .contentType(MediaType.APPLICATION_JSON).content(json);
        }
    }

    public Host host() {
        String name = "test-host-" + SEQUENCE.incrementAndGet();
        String token = "token-" + UUID.randomUUID();
        long id = jdbc.sql("insert into host (name, agent_token_hash) values (?, ?) returning id")
                .params(name, HostTokens.hash(token)).query(Long.class).single();
        return new Host(id, name, token);
    }

    public static String gpuUuid() {
        return "GPU-" + UUID.randomUUID();
    }

    public static String migUuid() {
        return "MIG-" + UUID.randomUUID();
    }

    /** A GPU of the host in the given mode, with {@code vfs} virtual functions at functions .1, .2, ... */
    public long gpu(Host host, String pciAddress, String model, String mode, int vfs) {
        long gpuId = jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode) values (?, ?, ?, ?, ?, ?, ?)
                returning id
                """).params(host.id(), pciAddress, gpuUuid(), model, 46068, mode, mode).query(Long.class).single();
        String bus = pciAddress.substring(0, pciAddress.length() - 1);
        for (int i = 0; i < vfs; i++) {
            jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (?, ?)").params(gpuId, bus + (i + 1)).update();
        }
        return gpuId;
    }

    /** A tenant with one user, who requests the slices. */
    public Requester tenant() {
        int n = SEQUENCE.incrementAndGet();
        long tenantId = jdbc.sql("insert into tenant (name) values (?) returning id").param("Tenant " + n).query(Long.class).single();
        long userId = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, ?, ?) returning id
                """).params(tenantId, "user" + n, "User " + n, "{noop}not-used-by-these-tests").query(Long.class).single();
        return new Requester(tenantId, userId, "user:user" + n);
    }

    /** A time-sliced vGPU slice on the GPU's first free VF, in {@code state}, with the events that led there. */
    public UUID vgpuSlice(Requester tenant, long gpuId, String offeringCode, String state) {
        long vfId = jdbc.sql("""
                select v.id from virtual_function v where v.gpu_id = ?
                and not exists (select 1 from slice s where s.vf_id = v.id and s.state <> 'RELEASED')
                order by v.pci_address limit 1
                """).param(gpuId).query(Long.class).single();
        return slice(tenant, gpuId, offeringCode, "VGPU", vfId, null, null, state);
    }

    public UUID migSlice(Requester tenant, long gpuId, String offeringCode, int startSlot, int size, String state) {
        return slice(tenant, gpuId, offeringCode, "MIG", null, startSlot, size, state);
    }

    public UUID passthroughSlice(Requester tenant, long gpuId, String offeringCode, String state) {
        return slice(tenant, gpuId, offeringCode, "PASSTHROUGH", null, null, null, state);
    }

    private UUID slice(Requester tenant, long gpuId, String offeringCode, String kind, Long vfId, Integer migStart,
            Integer migSize, String state) {
        UUID uuid = UUID.randomUUID();
        long sliceId = jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id, vf_id,
                                   mig_start_slot, mig_size, failure_reason, released_at)
                select :uuid, :tenant, :user, o.id, :kind, 'vm-test', :state, :gpu, :vf, :migStart, :migSize,
                       case when :state = 'FAILED' then 'fixture failure' end,
                       case when :state = 'RELEASED' then now() end
                from offering o where o.code = :code
                returning id
                """).param("uuid", uuid).param("tenant", tenant.tenantId()).param("user", tenant.userId())
                .param("kind", kind).param("state", state).param("gpu", gpuId)
                .param("vf", vfId, Types.BIGINT).param("migStart", migStart, Types.INTEGER)
                .param("migSize", migSize, Types.INTEGER).param("code", offeringCode)
                .query(Long.class).single();
        String previous = null;
        for (String step : HISTORY.get(state)) {
            event(sliceId, previous, step);
            previous = step;
        }
        return uuid;
    }

    private void event(long sliceId, String from, String to) {
        jdbc.sql("insert into slice_event (slice_id, from_state, to_state, actor, reason) values (?, ?, ?, 'fixture', 'fixture')")
                .params(sliceId, from, to).update();
    }

    public String state(UUID slice) {
        return jdbc.sql("select state from slice where uuid = ?").param(slice).query(String.class).single();
    }

    public long generation(Host host) {
        return jdbc.sql("select desired_generation from host where id = ?").param(host.id()).query(Long.class).single();
    }
}
