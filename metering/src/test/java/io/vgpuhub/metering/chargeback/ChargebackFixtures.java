package io.vgpuhub.metering.chargeback;

import static io.vgpuhub.metering.SqlTime.utc;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tenants, slices, seat leases, hourly usage and rate cards written straight into the schema, as the lifecycle,
 * licensing and metering code would leave them. Each fixture makes a tenant of its own (with a user and a host);
 * offerings are the catalog's (A40-8Q, A40-2Q, A40-8C, ...).
 */
public class ChargebackFixtures {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final JdbcClient jdbc;
    public final long tenant;
    public final String tenantName;
    public final long user;
    private final long host;

    public ChargebackFixtures(JdbcClient jdbc) {
        this(jdbc, "cb-" + suffix());
    }

    public ChargebackFixtures(JdbcClient jdbc, String tenantName) {
        this.jdbc = jdbc;
        this.tenantName = tenantName;
        this.tenant = jdbc.sql("insert into tenant (name) values (?) returning id").param(tenantName)
                .query(Long.class).single();
        this.user = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, ?, 'Chargeback Test', '{noop}not-a-real-password-hash') returning id""")
                .params(tenant, "cb-" + suffix()).query(Long.class).single();
        this.host = jdbc.sql("insert into host (name, agent_token_hash) values (?, ?) returning id")
                .params("cb-" + suffix(), hex(64)).query(Long.class).single();
    }

    /** Removes every rate card no closed month refers to, so a test starts with the cards it makes. */
    public static void clearRateCards(JdbcClient jdbc) {
        jdbc.sql("""
                delete from rate_card where id not in (select rate_card_id from statement_line where rate_card_id is not null)
                """).update();
    }

    public long offering(String code) {
        return jdbc.sql("select id from offering where code = ?").param(code).query(Long.class).single();
    }

    /** The tenant's root cost centre. */
    public long rootCostCentre() {
        return jdbc.sql("select id from cost_centre where tenant_id = ? and parent_id is null").param(tenant)
                .query(Long.class).single();
    }

    /** A sub cost centre under the tenant's root. */
    public long subCostCentre(String code, String name) {
        return jdbc.sql("insert into cost_centre (tenant_id, parent_id, code, name) values (?, ?, ?, ?) returning id")
                .params(tenant, rootCostCentre(), code, name).query(Long.class).single();
    }

    /** A released slice that was READY in [readyAt, releasedAt), billed to the root cost centre. */
    public long slice(String offeringCode, String vmName, Instant readyAt, Instant releasedAt) {
        return slice(offeringCode, vmName, readyAt, releasedAt, null);
    }

    /** A released slice billed to the cost centre (null: the root). */
    public long slice(String offeringCode, String vmName, Instant readyAt, Instant releasedAt, Long costCentre) {
        return jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, ready_at, released_at,
                                   cost_centre_id)
                select :uuid, :tenant, :user, id, kind, :vm, 'RELEASED', :ready, :released, :cc from offering where code = :code
                returning id""")
                .param("uuid", UUID.randomUUID()).param("tenant", tenant).param("user", user).param("vm", vmName)
                .param("ready", readyAt == null ? null : utc(readyAt), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("released", utc(releasedAt), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("cc", costCentre, Types.BIGINT).param("code", offeringCode)
                .query(Long.class).single();
    }

    /** A GPU in vGPU mode on the fixture's host, for per-GPU seat keys. */
    public long gpu() {
        int n = SEQUENCE.incrementAndGet();
        return jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, sriov)
                values (?, ?, ?, 'A40', 46068, 'VGPU', 'VGPU', false) returning id""")
                .params(host, "0000:%02x:%02x.0".formatted(n / 32 % 256, n % 32), "GPU-" + UUID.randomUUID())
                .query(Long.class).single();
    }

    /** A per-VM seat lease (seat key slice:&lt;id&gt;) over [acquired, ended); ended null: still held. */
    public long lease(long slice, String edition, boolean holdsSeat, Instant acquired, Instant ended) {
        return lease(slice, edition, "slice:" + slice, null, holdsSeat, acquired, ended);
    }

    /** A per-GPU seat lease (seat key gpu:&lt;id&gt;), shared by every slice of the GPU holding it at once. */
    public long gpuLease(long slice, String edition, long gpu, Instant acquired, Instant ended) {
        return lease(slice, edition, "gpu:" + gpu, gpu, true, acquired, ended);
    }

    private long lease(long slice, String edition, String seatKey, Long gpu, boolean holdsSeat, Instant acquired,
            Instant ended) {
        return jdbc.sql("""
                insert into license_lease (slice_id, edition, gpu_id, seat_key, holds_seat, acquired_at, renewed_at,
                                           ended_at, end_reason)
                values (:slice, :edition, :gpu, :key, :holds, :acquired, :acquired, :ended, :reason) returning id""")
                .param("slice", slice).param("edition", edition).param("gpu", gpu, Types.BIGINT).param("key", seatKey)
                .param("holds", holdsSeat).param("acquired", utc(acquired), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("ended", ended == null ? null : utc(ended), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("reason", ended == null ? null : "RELEASED", Types.VARCHAR)
                .query(Long.class).single();
    }

    /** One hour of usage as the rollups write it; samples 0 leaves the utilization figures null. */
    public void hour(long slice, Instant hour, int secondsAllocated, int samples, long utilizationSum,
            Integer utilizationPeak, Integer memoryPeakMib) {
        jdbc.sql("""
                insert into usage_hourly (slice_id, hour, seconds_allocated, sample_count, utilization_sum,
                                          utilization_peak, memory_peak_mib)
                values (:slice, :hour, :seconds, :samples, :sum, :peak, :memory)""")
                .param("slice", slice).param("hour", utc(hour), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("seconds", secondsAllocated).param("samples", samples).param("sum", utilizationSum)
                .param("peak", utilizationPeak, Types.SMALLINT).param("memory", memoryPeakMib, Types.INTEGER)
                .update();
    }

    /** A stored rate card; prices by offering code and by edition code. */
    public long rateCard(LocalDate effectiveFrom, String currency, Map<String, String> offeringPrices,
            Map<String, String> seatPrices) {
        long card = jdbc.sql("""
                insert into rate_card (effective_from, currency, name, created_by) values (?, ?, ?, ?) returning id""")
                .params(effectiveFrom, currency, "Card " + effectiveFrom, user).query(Long.class).single();
        offeringPrices.forEach((code, price) -> jdbc.sql("""
                insert into rate_card_offering (rate_card_id, offering_id, price_per_hour)
                select ?, id, ? from offering where code = ?""").params(card, new BigDecimal(price), code).update());
        seatPrices.forEach((edition, price) -> jdbc.sql("""
                insert into rate_card_edition (rate_card_id, edition, price_per_seat_hour) values (?, ?, ?)""")
                .params(card, edition, new BigDecimal(price)).update());
        return card;
    }

    public UUID uuid(long slice) {
        return jdbc.sql("select uuid from slice where id = ?").param(slice).query(UUID.class).single();
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8) + "-" + SEQUENCE.incrementAndGet();
    }

    private static String hex(int length) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < length) {
            hex.append(UUID.randomUUID().toString().replace("-", ""));
        }
        return hex.substring(0, length);
    }
}
