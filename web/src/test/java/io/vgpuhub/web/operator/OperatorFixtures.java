package io.vgpuhub.web.operator;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.vgpuhub.web.licensing.LicenseSeatFixtures;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Hosts, GPUs, slices and audit rows written with SQL, as an agent and tenants would have left them. */
final class OperatorFixtures {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    OperatorFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
        LicenseSeatFixtures.grantGenerousSeats(jdbc);
    }

    static String unique(String prefix) {
        return prefix + "-" + NEXT.incrementAndGet();
    }

    /** A host whose agent was last heard {@code sinceSeen} ago (null: never). */
    long host(String name, String state, Duration sinceSeen, String agentVersion) {
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        return jdbc.sql("""
                insert into host (name, agent_token_hash, state, last_seen_at, agent_version)
                values (?, ?, ?, now() - make_interval(secs => ?), ?) returning id
                """).params(name, HexFormat.of().formatHex(token), state,
                        sinceSeen == null ? null : (double) sinceSeen.toSeconds(), agentVersion)
                .query(Long.class).single();
    }

    /** A GPU in {@code mode}, as its agent reported it; with VFs it is an SR-IOV GPU. */
    long gpu(long hostId, String model, String mode, boolean migCapable, int vfs) {
        int n = NEXT.incrementAndGet();
        String pci = String.format("0000:%02x:00.0", n % 256);
        String uuid = "GPU-" + UUID.randomUUID();
        long gpuId = jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, mig_capable, sriov)
                values (?, ?, ?, ?, 46068, ?, ?, ?, ?) returning id
                """).params(hostId, pci, uuid, model, mode, mode, migCapable, vfs > 0).query(Long.class).single();
        for (int vf = 1; vf <= vfs; vf++) {
            jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (?, ?)")
                    .params(gpuId, String.format("0000:%02x:00.%d", n % 256, vf % 8)).update();
        }
        return gpuId;
    }

    /** A READY slice of the offering on the GPU (on its first free VF when the GPU has VFs), for alice's tenant. */
    UUID slice(long gpuId, String offeringCode, String vmName, Integer migStart) {
        record Offer(long id, String kind, Integer migSlices) {
        }
        Offer offer = jdbc.sql("select id, kind, mig_slices from offering where code = ?").param(offeringCode)
                .query(Offer.class).single();
        Long vf = jdbc.sql("""
                select v.id from virtual_function v where v.gpu_id = ?
                and not exists (select 1 from slice s where s.vf_id = v.id and s.state <> 'RELEASED') order by v.id limit 1
                """).param(gpuId).query(Long.class).optional().orElse(null);
        UUID uuid = UUID.randomUUID();
        jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id, vf_id,
                                   mig_start_slot, mig_size, ready_at)
                select ?, u.tenant_id, u.id, ?, ?, ?, 'READY', ?, ?, ?, ?, now() from app_user u where u.username = 'alice'
                """).params(uuid, offer.id(), offer.kind(), vmName, gpuId, "VGPU".equals(offer.kind()) ? vf : null,
                        migStart, migStart == null ? null : offer.migSlices()).update();
        return uuid;
    }

    void sliceEvent(UUID slice, String from, String to, String actor, String reason) {
        jdbc.sql("""
                insert into slice_event (slice_id, from_state, to_state, actor, reason)
                select id, ?, ?, ?, ? from slice where uuid = ?
                """).params(from, to, actor, reason, slice).update();
    }

    void auditEvent(String actor, String action, String target, String detail) {
        jdbc.sql("insert into audit_event (actor, action, target, detail) values (?, ?, ?, ?)")
                .params(actor, action, target, detail).update();
    }

    long tenant(String name) {
        return jdbc.sql("insert into tenant (name) values (?) returning id").param(name).query(Long.class).single();
    }

    long acme() {
        return jdbc.sql("select id from tenant where name = 'Acme Research'").query(Long.class).single();
    }

    long offering(String code) {
        return jdbc.sql("select id from offering where code = ?").param(code).query(Long.class).single();
    }

    long audits(String action, String target) {
        return jdbc.sql("select count(*) from audit_event where action = ? and target = ?").params(action, target)
                .query(Long.class).single();
    }

    long allAudits() {
        return jdbc.sql("select count(*) from audit_event").query(Long.class).single();
    }

    String hostState(long hostId) {
        return jdbc.sql("select state from host where id = ?").param(hostId).query(String.class).single();
    }

    long generation(long hostId) {
        return jdbc.sql("select desired_generation from host where id = ?").param(hostId).query(Long.class).single();
    }

    String gpuMode(long gpuId) {
        return jdbc.sql("select mode from gpu where id = ?").param(gpuId).query(String.class).single();
    }

    String pci(long gpuId) {
        return jdbc.sql("select pci_address from gpu where id = ?").param(gpuId).query(String.class).single();
    }
}
