package io.vgpuhub.db;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Inserts the smallest valid rows the schema tests build on and hands back their ids. Every name, token and address
 * it makes up is unique, so fixtures never collide with each other, whether or not the caller rolls back.
 */
final class SchemaFixtures {

    /** A tenant and one of its users, who requests the slices. */
    record Tenancy(long tenantId, long userId) {
    }

    /** An offering and its kind, which a slice copies. */
    record Offering(long id, String kind) {
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final JdbcClient jdbc;

    private final Tenancy tenancy;

    private final long host;

    /**
     * Inserts, right away, the tenant, user and host that the other methods build on; right away, so that none of
     * them is first made inside a savepoint that a test then rolls back.
     */
    SchemaFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
        long tenantId = tenant();
        this.tenancy = new Tenancy(tenantId, user(tenantId));
        this.host = jdbc.sql("insert into host (name, agent_token_hash) values (:name, :hash) returning id")
                .param("name", unique("host"))
                .param("hash", randomHex(64))
                .query(Long.class).single();
    }

    /** The tenant and user that {@link #slice(Offering)} uses unless told otherwise. */
    Tenancy tenancy() {
        return tenancy;
    }

    long tenant() {
        return jdbc.sql("insert into tenant (name) values (:name) returning id")
                .param("name", unique("Tenant"))
                .query(Long.class).single();
    }

    /** A user of the given tenant, or an operator-side user belonging to no tenant when {@code tenantId} is null. */
    long user(Long tenantId) {
        return jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (:tenantId, :username, 'Test User', :passwordHash) returning id""")
                .param("tenantId", tenantId, Types.BIGINT)
                .param("username", unique("user"))
                .param("passwordHash", "{noop}not-a-real-password-hash")
                .query(Long.class).single();
    }

    void grant(long userId, String role) {
        jdbc.sql("insert into user_role (user_id, role) values (:userId, :role)")
                .param("userId", userId).param("role", role).update();
    }

    /** The host that {@link #gpu(String)} puts its GPUs on. */
    long host() {
        return host;
    }

    /** A GPU in the given mode ({@code VGPU}, {@code MIG} or {@code PASSTHROUGH}) on the fixture's host. */
    long gpu(String mode) {
        int bus = next() % 256;
        return jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                values (:hostId, :pciAddress, :uuid, 'A100', 40960, :mode) returning id""")
                .param("hostId", host())
                .param("pciAddress", "0000:%02x:00.0".formatted(bus))
                .param("uuid", gpuUuid())
                .param("mode", mode)
                .query(Long.class).single();
    }

    /** An SR-IOV virtual function of the given GPU. */
    long virtualFunction(long gpuId) {
        int n = next();
        return jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (:gpuId, :pciAddress) returning id")
                .param("gpuId", gpuId)
                .param("pciAddress", "0000:%02x:%02x.%d".formatted((n / 256) % 256, (n / 8) % 32, n % 8))
                .query(Long.class).single();
    }

    /** A time-sliced vGPU offering of the given NVIDIA type, e.g. {@code A100-10C}. */
    Offering vgpuOffering(String vgpuType) {
        return offering("VGPU", vgpuType, null, 6);
    }

    Offering migOffering(int migSlices) {
        return offering("MIG", null, migSlices, 7);
    }

    Offering passthroughOffering() {
        return offering("PASSTHROUGH", null, null, 1);
    }

    private Offering offering(String kind, String vgpuType, Integer migSlices, int maxInstancesPerGpu) {
        long id = jdbc.sql("""
                insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, mig_slices,
                                      mig_profile, mig_start_slots, license_edition)
                values (:code, :kind, 'A100', :vgpuType, 5120, :maxInstances, :migSlices,
                        case when :kind = 'MIG' then :migSlices || 'g.' || 5 * :migSlices || 'gb' end,
                        case when :kind = 'MIG' then array(select s from generate_series(0, 8 - :migSlices, :migSlices) s) end,
                        case when :kind = 'PASSTHROUGH' then 'VCS' end)
                returning id""")
                .param("code", unique(kind))
                .param("kind", kind)
                .param("vgpuType", vgpuType, Types.VARCHAR)
                .param("maxInstances", maxInstancesPerGpu)
                .param("migSlices", migSlices, Types.INTEGER)
                .query(Long.class).single();
        return new Offering(id, kind);
    }

    /** Starts a slice of the offering for {@link #tenancy()}: READY, of the offering's kind, on no GPU yet. */
    SliceInsert slice(Offering offering) {
        return new SliceInsert(tenancy(), offering);
    }

    void release(long sliceId) {
        jdbc.sql("update slice set state = 'RELEASED', released_at = now(), updated_at = now() where id = :id")
                .param("id", sliceId).update();
    }

    /** Inserts a sample, creating its month's partition first; returns the rows written. */
    int usageSample(long sliceId, OffsetDateTime sampledAt, int gpuUtilizationPercent) {
        usagePartitionFor(sampledAt);
        return jdbc.sql("""
                insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib)
                values (:sliceId, :batchId, :sampledAt, :utilization, 1024)""")
                .param("sliceId", sliceId)
                .param("batchId", UUID.randomUUID())
                .param("sampledAt", sampledAt, Types.TIMESTAMP_WITH_TIMEZONE)
                .param("utilization", gpuUtilizationPercent)
                .update();
    }

    /** @return the name of the month partition that holds {@code instant} */
    String usagePartitionFor(OffsetDateTime instant) {
        return jdbc.sql("select usage_sample_ensure_partition(:at)")
                .param("at", instant, Types.TIMESTAMP_WITH_TIMEZONE).query(String.class).single();
    }

    /** Collects the columns of one slice row; {@link #insert()} writes it and returns its id. */
    final class SliceInsert {

        private long tenantId;

        private final long userId;

        private final long offeringId;

        private String kind;

        private String state = "READY";

        private Long gpuId;

        private Long vfId;

        private Integer migStartSlot;

        private Integer migSize;

        private String failureReason;

        private OffsetDateTime releasedAt;

        private SliceInsert(Tenancy tenancy, Offering offering) {
            this.tenantId = tenancy.tenantId();
            this.userId = tenancy.userId();
            this.offeringId = offering.id();
            this.kind = offering.kind();
        }

        SliceInsert forTenant(long tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        /** Overrides the kind copied from the offering. */
        SliceInsert kind(String kind) {
            this.kind = kind;
            return this;
        }

        /** Sets the state as given, without touching {@code released_at} or {@code failure_reason}. */
        SliceInsert state(String state) {
            this.state = state;
            return this;
        }

        /** RELEASED, with the release time the schema demands. */
        SliceInsert released() {
            this.state = "RELEASED";
            this.releasedAt = OffsetDateTime.now();
            return this;
        }

        SliceInsert releasedAt(OffsetDateTime releasedAt) {
            this.releasedAt = releasedAt;
            return this;
        }

        SliceInsert failureReason(String failureReason) {
            this.failureReason = failureReason;
            return this;
        }

        SliceInsert on(long gpuId) {
            this.gpuId = gpuId;
            return this;
        }

        /** On the virtual function {@code vfId} of the GPU {@code gpuId}, as a placed vGPU slice sits. */
        SliceInsert on(long gpuId, long vfId) {
            this.gpuId = gpuId;
            this.vfId = vfId;
            return this;
        }

        /** On the MIG slots {@code [startSlot, startSlot + size)} of the GPU {@code gpuId}. */
        SliceInsert onSlots(long gpuId, int startSlot, int size) {
            this.gpuId = gpuId;
            this.migStartSlot = startSlot;
            this.migSize = size;
            return this;
        }

        long insert() {
            return jdbc.sql("""
                    insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state,
                                       gpu_id, vf_id, mig_start_slot, mig_size, failure_reason, released_at)
                    values (:uuid, :tenantId, :userId, :offeringId, :kind, :vmName, :state,
                            :gpuId, :vfId, :migStartSlot, :migSize, :failureReason, :releasedAt)
                    returning id""")
                    .param("uuid", UUID.randomUUID())
                    .param("tenantId", tenantId)
                    .param("userId", userId)
                    .param("offeringId", offeringId)
                    .param("kind", kind)
                    .param("vmName", unique("vm"))
                    .param("state", state)
                    .param("gpuId", gpuId, Types.BIGINT)
                    .param("vfId", vfId, Types.BIGINT)
                    .param("migStartSlot", migStartSlot, Types.INTEGER)
                    .param("migSize", migSize, Types.INTEGER)
                    .param("failureReason", failureReason, Types.VARCHAR)
                    .param("releasedAt", releasedAt, Types.TIMESTAMP_WITH_TIMEZONE)
                    .query(Long.class).single();
        }
    }

    static String gpuUuid() {
        String hex = randomHex(32);
        return "GPU-%s-%s-%s-%s-%s".formatted(hex.substring(0, 8), hex.substring(8, 12), hex.substring(12, 16),
                hex.substring(16, 20), hex.substring(20));
    }

    static String randomHex(int length) {
        StringBuilder hex = new StringBuilder(length);
        while (hex.length() < length) {
            hex.append(UUID.randomUUID().toString().replace("-", ""));
        }
        return hex.substring(0, length);
    }

    private static String unique(String prefix) {
        return prefix + "-" + randomHex(8) + "-" + next();
    }

    private static int next() {
        return SEQUENCE.incrementAndGet() & Integer.MAX_VALUE;
    }
}
