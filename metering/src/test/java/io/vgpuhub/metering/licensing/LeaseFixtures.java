package io.vgpuhub.metering.licensing;

import static io.vgpuhub.metering.SqlTime.utc;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A tenant, a host with GPUs, licensed offerings, slices and entitlements, written straight into the schema. Starts
 * with no running lease, no entitlement and every edition REFUSE. The license report tests' fixtures build on it.
 */
public class LeaseFixtures {

    private final JdbcClient jdbc;
    public final long tenant;
    public final long user;
    private int gpus;

    public LeaseFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
        jdbc.sql("update license_lease set ended_at = greatest(now(), acquired_at), end_reason = 'RELEASED'"
                + " where ended_at is null").update();
        jdbc.sql("delete from license_entitlement").update();
        jdbc.sql("update license_edition set admission_policy = 'REFUSE'").update();
        String suffix = suffix();
        tenant = id("insert into tenant (name) values (?) returning id", "t-" + suffix);
        user = id("insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, 'U', ?)"
                + " returning id", tenant, "u-" + suffix, "$2a$10$abcdefghijklmnopqrstuv");
    }

    /** Offering codes must be unique; letters only, so that the code reads like a vGPU profile name. */
    private static final AtomicLong OFFERINGS = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));

    private static String letters(long n) {
        StringBuilder letters = new StringBuilder();
        do {
            letters.append((char) ('A' + n % 26));
            n /= 26;
        } while (n > 0);
        return letters.toString();
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    long host() {
        return host("h");
    }

    /** An online host named prefix-&lt;random&gt;. */
    public long host(String prefix) {
        return id("insert into host (name, agent_token_hash, state, last_seen_at) values (?, ?, 'ONLINE', now()) returning id",
                prefix + "-" + suffix(), (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", ""));
    }

    long gpu(long host) {
        int bus = 0x10 + gpus++;
        // Not SR-IOV, so a vGPU slice needs no virtual function row.
        return id("insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, sriov)"
                + " values (?, ?, ?, 'L1', 49152, 'VGPU', 'VGPU', false) returning id",
                host, "0000:%02x:00.0".formatted(bus), "GPU-" + UUID.randomUUID());
    }

    /** A vGPU offering of the edition (vWS, vPC, vApps: per slice; vCS: per GPU). */
    long offering(Edition edition) {
        String letter = switch (edition) {
            case VAPPS -> "A";
            case VPC -> "B";
            case VWS -> "Q";
            case VCS -> "C";
        };
        String code = "LT" + letters(OFFERINGS.incrementAndGet()) + "-4" + letter;
        return id("insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu,"
                + " license_edition) values (?, 'VGPU', 'L1', ?, 4096, 64, ?) returning id", code, code, edition.name());
    }

    /** A slice of the offering on the GPU, in {@code state}. */
    long slice(long offering, long gpu, String state) {
        return id("insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id,"
                + " failure_reason) values (?, ?, ?, ?, 'VGPU', 'vm1', ?, ?, ?) returning id", UUID.randomUUID(), tenant,
                user, offering, state, gpu, state.equals("FAILED") ? "test" : null);
    }

    /** An entitlement valid in [from, until); until null: perpetual. */
    public long entitle(Edition edition, int seats, Instant from, Instant until) {
        return jdbc.sql("""
                insert into license_entitlement (edition, seats, valid_from, valid_until, order_reference)
                values (:edition, :seats, :from, :until, :ref) returning id
                """).param("edition", edition.name()).param("seats", seats).param("from", utc(from))
                .param("until", until == null ? null : utc(until), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("ref", "PO-" + suffix()).query(Long.class).single();
    }

    void entitleNow(Edition edition, int seats) {
        entitle(edition, seats, Instant.now().minus(Duration.ofDays(1)), null);
    }

    void policy(Edition edition, String policy) {
        jdbc.sql("update license_edition set admission_policy = ? where code = ?").params(policy, edition.name()).update();
    }

    /** Moves the slice's running lease into the past, as if its host had last reported {@code ago}. */
    void age(long slice, Duration ago) {
        jdbc.sql("update license_lease set acquired_at = acquired_at - :ago, renewed_at = renewed_at - :ago"
                + " where slice_id = :slice and ended_at is null")
                .param("ago", new org.postgresql.util.PGInterval(0, 0, 0, 0, 0, ago.toSeconds()))
                .param("slice", slice).update();
    }

    long seatsHeld(Edition edition) {
        return jdbc.sql("select count(distinct seat_key) from license_lease where edition = ? and ended_at is null and holds_seat")
                .param(edition.name()).query(Long.class).single();
    }

    /** The slice's leases, oldest first, as "holds_seat/end_reason" (end_reason "running" while it runs). */
    java.util.List<String> leases(long slice) {
        return jdbc.sql("select case when holds_seat then 'seat' else 'flagged' end || '/' || coalesce(end_reason, 'running')"
                + " from license_lease where slice_id = ? order by id").param(slice).query(String.class).list();
    }

    private long id(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }
}
