package io.vgpuhub.metering.chargeback.close;

import static io.vgpuhub.metering.SqlTime.utc;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.vgpuhub.metering.chargeback.BillingMonths;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rows the close tests bill: tenants, cost centres, passthrough slices on GPUs of their own (A40 whole GPU, priced
 * per hour and per vCS seat-hour), seat leases, hourly samples, rate cards, and a finance user who closes and books.
 *
 * <p>Months close in order across the whole database, so each test takes {@link #freshMonths(int) months of its
 * own}, later than every earlier test's, and first closes whatever earlier tests left open.
 */
final class CloseFixtures {

    static final String OFFERING = "A40 whole GPU";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** The next month no test has used yet; months are handed out in order. */
    private static YearMonth nextFree = YearMonth.of(2001, 1);

    private final JdbcClient jdbc;
    private final MonthClose close;
    private final SettableClock clock;
    private final long financeUser;
    private final long hostId;
    private final long offeringId;
    private final Map<Long, Long> tenantUsers = new HashMap<>();

    CloseFixtures(JdbcClient jdbc, MonthClose close, SettableClock clock) {
        this.jdbc = jdbc;
        this.close = close;
        this.clock = clock;
        this.financeUser = jdbc.sql("""
                insert into app_user (username, display_name, password_hash)
                values (?, 'Finance Test', '{noop}not-a-real-password-hash') returning id""")
                .param("finance-" + unique()).query(Long.class).single();
        this.hostId = jdbc.sql("insert into host (name, agent_token_hash) values (?, ?) returning id")
                .params("close-" + unique(), hex(64)).query(Long.class).single();
        this.offeringId = jdbc.sql("select id from offering where code = ?").param(OFFERING).query(Long.class).single();
    }

    /**
     * The first of {@code count} months no earlier test used; the clock is set to its first instant, and every month
     * an earlier test left open is closed, so the test's own months are the only open ones.
     */
    YearMonth freshMonths(int count) {
        YearMonth first;
        synchronized (CloseFixtures.class) {
            first = nextFree;
            nextFree = nextFree.plusMonths(count);
        }
        clock.set(BillingMonths.start(first));
        for (Optional<YearMonth> open = earlierOpen(first); open.isPresent(); open = earlierOpen(first)) {
            close.close(open.get(), financeUser);
        }
        return first;
    }

    private Optional<YearMonth> earlierOpen(YearMonth month) {
        return close.check(month).refusals().stream().filter(r -> r.reason() == CloseRefusal.Reason.EARLIER_MONTH_OPEN)
                .map(CloseRefusal::earlierMonth).findFirst();
    }

    void now(Instant now) {
        clock.set(now);
    }

    long financeUser() {
        return financeUser;
    }

    long offeringId() {
        return offeringId;
    }

    long tenant(String name) {
        long tenant = jdbc.sql("insert into tenant (name) values (?) returning id").param(name + " " + unique())
                .query(Long.class).single();
        tenantUsers.put(tenant, jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, ?, 'Tenant Test', '{noop}not-a-real-password-hash') returning id""")
                .params(tenant, "close-" + unique()).query(Long.class).single());
        return tenant;
    }

    long root(long tenant) {
        return jdbc.sql("select id from cost_centre where tenant_id = ? and parent_id is null").param(tenant)
                .query(Long.class).single();
    }

    long subCostCentre(long tenant, String code) {
        return jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name) values (?, ?, ?, ?) returning id""")
                .params(tenant, root(tenant), code, "Cost centre " + code).query(Long.class).single();
    }

    /** A slice READY from {@code readyAt}, RELEASED at {@code releasedAt} (null: still running), on its own GPU. */
    Slice slice(long tenant, Long costCentre, Instant readyAt, Instant releasedAt) {
        int n = SEQUENCE.incrementAndGet();
        long gpu = jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, sriov)
                values (?, ?, ?, 'A40', 46068, 'PASSTHROUGH', 'PASSTHROUGH', false) returning id""")
                .params(hostId, "0000:%02x:%02x.0".formatted(n / 32 % 256, n % 32), gpuUuid())
                .query(Long.class).single();
        long id = jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id, ready_at,
                                   released_at, cost_centre_id)
                values (:uuid, :tenant, :user, :offering, 'PASSTHROUGH', :vm, :state, :gpu, :readyAt, :releasedAt,
                        :costCentre)
                returning id""")
                .param("uuid", UUID.randomUUID()).param("tenant", tenant).param("user", tenantUsers.get(tenant))
                .param("offering", offeringId).param("vm", "close-vm-" + n)
                .param("state", releasedAt == null ? "READY" : "RELEASED")
                .param("gpu", releasedAt == null ? gpu : null, Types.BIGINT)
                .param("readyAt", utc(readyAt), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("releasedAt", releasedAt == null ? null : utc(releasedAt), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("costCentre", costCentre, Types.BIGINT)
                .query(Long.class).single();
        return new Slice(id, gpu);
    }

    record Slice(long id, long gpu) {
    }

    /** Records the release of a running slice, dated {@code releasedAt} whenever it is recorded. */
    void release(Slice slice, Instant releasedAt) {
        jdbc.sql("update slice set state = 'RELEASED', gpu_id = null, released_at = :at where id = :id")
                .param("at", utc(releasedAt), Types.TIMESTAMP_WITH_TIMEZONE).param("id", slice.id()).update();
    }

    /** A vCS seat the slice held over [from, to), on its GPU. */
    void seat(Slice slice, Instant from, Instant to) {
        jdbc.sql("""
                insert into license_lease (slice_id, edition, gpu_id, seat_key, holds_seat, acquired_at, renewed_at,
                                           ended_at, end_reason)
                values (:slice, 'VCS', :gpu, :key, true, :from, :from, :to, 'RELEASED')""")
                .param("slice", slice.id()).param("gpu", slice.gpu()).param("key", "gpu:" + slice.gpu())
                .param("from", utc(from), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("to", utc(to), Types.TIMESTAMP_WITH_TIMEZONE).update();
    }

    /** Samples of one hour, as the usage rollup would write them (allocated seconds are the allocation rollup's). */
    void samples(Slice slice, Instant hour, int count, int meanPercent, int peakPercent, int peakMemoryMib) {
        jdbc.sql("""
                insert into usage_hourly as u (slice_id, hour, sample_count, utilization_sum, utilization_peak, memory_peak_mib)
                values (:slice, :hour, :count, :sum, :peak, :memory)
                on conflict (slice_id, hour) do update set sample_count = excluded.sample_count,
                    utilization_sum = excluded.utilization_sum, utilization_peak = excluded.utilization_peak,
                    memory_peak_mib = excluded.memory_peak_mib""")
                .param("slice", slice.id()).param("hour", utc(hour), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("count", count).param("sum", (long) count * meanPercent).param("peak", peakPercent)
                .param("memory", peakMemoryMib).update();
    }

    /** A rate card from the first of {@code month}: the A40 whole GPU per hour, every other offering unpriced. */
    long rateCard(YearMonth month, String currency, String perHour, String perSeatHour) {
        return rateCard(BillingMonths.firstDay(month).toString(), currency, perHour, perSeatHour);
    }

    long rateCard(String effectiveFrom, String currency, String perHour, String perSeatHour) {
        long card = jdbc.sql("""
                insert into rate_card (effective_from, currency, name, created_by)
                values (cast(? as date), ?, ?, ?) returning id""")
                .params(effectiveFrom, currency, "Card from " + effectiveFrom, financeUser).query(Long.class).single();
        jdbc.sql("insert into rate_card_offering (rate_card_id, offering_id, price_per_hour) values (?, ?, ?)")
                .params(card, offeringId, new BigDecimal(perHour)).update();
        jdbc.sql("insert into rate_card_edition (rate_card_id, edition, price_per_seat_hour) values (?, 'VCS', ?)")
                .params(card, new BigDecimal(perSeatHour)).update();
        return card;
    }

    void renameTenant(long tenant, String name) {
        jdbc.sql("update tenant set name = ? where id = ?").params(name + " " + unique(), tenant).update();
    }

    /** The month's frozen rows, as the database holds them. */
    List<Map<String, Object>> frozenLines(YearMonth month) {
        return jdbc.sql("select * from statement_line where month = ? order by tenant_id, line_no")
                .param(BillingMonths.firstDay(month)).query().listOfRows();
    }

    List<Map<String, Object>> frozenShowback(YearMonth month) {
        return jdbc.sql("select * from statement_showback where month = ? order by tenant_id, slice_id")
                .param(BillingMonths.firstDay(month)).query().listOfRows();
    }

    boolean closed(YearMonth month) {
        return jdbc.sql("select exists (select 1 from billing_month where month = ?)").param(BillingMonths.firstDay(month))
                .query(Boolean.class).single();
    }

    long adjustmentsIn(YearMonth month) {
        return jdbc.sql("select count(*) from billing_adjustment where month = ?").param(BillingMonths.firstDay(month))
                .query(Long.class).single();
    }

    private static String unique() {
        return hex(6) + SEQUENCE.incrementAndGet();
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
