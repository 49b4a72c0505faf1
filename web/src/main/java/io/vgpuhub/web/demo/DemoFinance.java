package io.vgpuhub.web.demo;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the finance pages need to show something on a first start: two rate cards (the catalog's list prices from three
 * months back, and a card from the first of this month with some prices changed), sub cost centres, a second tenant,
 * and released slices of both tenants over the last three months with their seat leases and hourly usage, as the
 * rollup and the lease code would have left them. Times are relative to the first start; every part is added once.
 */
@Component
class DemoFinance {

    static final String SECOND_TENANT = "Northwind Studios";

    /**
     * Seat prices per license edition per seat-hour, in the catalog's currency: a few cents for vApps and vPC, more for
     * the workstation and compute editions, in the proportions of NVIDIA's list prices per concurrent user.
     */
    static final Map<String, String> SEAT_PRICES = Map.of("VAPPS", "0.0200", "VPC", "0.0500", "VWS", "0.1500", "VCS", "0.3000");

    /** The second card: A40 time 10 % cheaper (rounded to the cent), vWS seats 0.12 instead of 0.15. */
    static final Map<String, String> SEAT_PRICES_NOW = Map.of("VAPPS", "0.0200", "VPC", "0.0500", "VWS", "0.1200", "VCS", "0.3000");

    /** A released slice of the demo history: allocated from readyDaysAgo to releasedHoursAgo, with its usage. */
    private record PastSlice(String tenant, String username, String vmName, String offering, String costCentre,
            int readyDaysAgo, int releasedHoursAgo, int meanUtilization, int peakUtilization, int peakMemoryMib) {
    }

    private static final List<PastSlice> SLICES = List.of(
            // Peak framebuffer under half of its 8 GiB profile: the statements hint at A40-4Q.
            new PastSlice(DemoSeeder.TENANT, "alice", "cad-ws-01", "A40-8Q", "CC-4711", 95, 50, 35, 88, 3100),
            new PastSlice(DemoSeeder.TENANT, "alice", "cad-ws-02", "A40-4Q", null, 70, 40 * 24, 45, 92, 3500),
            new PastSlice(DemoSeeder.TENANT, "tom", "ml-train-01", "A40-24C", "CC-4720", 60, 10 * 24, 85, 100, 21000),
            new PastSlice(DemoSeeder.TENANT, "tom", "ml-notebook", "A40-8C", "CC-4720", 30, 20, 20, 75, 6200),
            new PastSlice(DemoSeeder.TENANT, "alice", "vdi-pc-01", "A40-2B", null, 80, 50 * 24, 15, 60, 1200),
            new PastSlice(DemoSeeder.TENANT, "alice", "apps-01", "A40-2A", "CC-4711", 20, 3, 25, 70, 1500),
            new PastSlice(SECOND_TENANT, "nora", "render-01", "A40-48Q", null, 85, 5 * 24, 70, 100, 40000),
            new PastSlice(SECOND_TENANT, "nora", "render-02", "A40-24Q", null, 45, 15 * 24, 60, 98, 9000),
            new PastSlice(SECOND_TENANT, "nora", "edit-01", "A40-4Q", null, 25, 2, 30, 80, 3000));

    private final JdbcClient jdbc;

    DemoFinance(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Seeds what is missing; {@code createUser} adds a demo user (username, display name, tenant id) if absent. */
    void seed(Instant now, String currency, UserMaker createUser) {
        jdbc.sql("insert into tenant (name) values (?) on conflict (name) do nothing").param(SECOND_TENANT).update();
        long acme = tenantId(DemoSeeder.TENANT);
        long northwind = tenantId(SECOND_TENANT);
        createUser.create("nora", "Nora Lindqvist (tenant user, " + SECOND_TENANT + ")", northwind);
        costCentre(acme, "CC-4711", "Imaging lab");
        costCentre(acme, "CC-4720", "ML platform");
        seedRateCards(now, currency);
        for (PastSlice slice : SLICES) {
            seedSlice(slice, now);
        }
    }

    @FunctionalInterface
    interface UserMaker {
        void create(String username, String displayName, long tenantId);
    }

    private long tenantId(String name) {
        return jdbc.sql("select id from tenant where name = ?").param(name).query(Long.class).single();
    }

    private void costCentre(long tenantId, String code, String name) {
        jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                select ?, id, ?, ? from cost_centre where tenant_id = ? and parent_id is null
                on conflict (tenant_id, code) do nothing
                """).params(tenantId, code, name, tenantId).update();
    }

    /** Only on a server with no card at all: finance's own cards are never touched. */
    private void seedRateCards(Instant now, String currency) {
        if (jdbc.sql("select count(*) from rate_card").query(Long.class).single() > 0) {
            return;
        }
        LocalDate thisMonth = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
        long list = card(thisMonth.minusMonths(3), currency, "Demo list prices",
                "The catalog's list prices per hour, and seat prices per edition.");
        jdbc.sql("""
                insert into rate_card_offering (rate_card_id, offering_id, price_per_hour)
                select ?, id, price_per_hour from offering
                """).param(list).update();
        seats(list, SEAT_PRICES);
        long current = card(thisMonth, currency, "Demo prices " + thisMonth.toString().substring(0, 7),
                "A40 time 10 % cheaper, vWS seats 0.12 per seat-hour.");
        jdbc.sql("""
                insert into rate_card_offering (rate_card_id, offering_id, price_per_hour)
                select ?, id, case when gpu_model = 'A40' then round(price_per_hour * 0.9, 2) else price_per_hour end
                from offering
                """).param(current).update();
        seats(current, SEAT_PRICES_NOW);
    }

    private long card(LocalDate effectiveFrom, String currency, String name, String notes) {
        return jdbc.sql("""
                insert into rate_card (effective_from, currency, name, notes) values (?, ?, ?, ?) returning id
                """).params(effectiveFrom, currency, name, notes).query(Long.class).single();
    }

    private void seats(long card, Map<String, String> prices) {
        prices.forEach((edition, price) -> jdbc.sql("""
                insert into rate_card_edition (rate_card_id, edition, price_per_seat_hour) values (?, ?, ?::numeric)
                """).params(card, edition, price).update());
    }

    private void seedSlice(PastSlice past, Instant now) {
        // The same slice on every start: its UUID is derived from its VM name.
        UUID uuid = UUID.nameUUIDFromBytes(("vgpuhub-demo-history:" + past.vmName()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Instant ready = hour.minus(Duration.ofDays(past.readyDaysAgo())).plus(Duration.ofMinutes(17)).plusSeconds(23);
        Instant released = hour.minus(Duration.ofHours(past.releasedHoursAgo())).plus(Duration.ofMinutes(41)).plusSeconds(7);
        if (released.isAfter(now)) {
            released = now.truncatedTo(ChronoUnit.SECONDS);
        }
        Long slice = jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, created_at, updated_at,
                                   ready_at, released_at, cost_centre_id)
                select :uuid, u.tenant_id, u.id, o.id, o.kind, :vm, 'RELEASED', :ready, :released, :ready, :released,
                       (select c.id from cost_centre c where c.tenant_id = u.tenant_id
                        and (c.code = :centre or (:centre is null and c.parent_id is null)))
                from app_user u, offering o where u.username = :user and o.code = :offering
                on conflict (uuid) do nothing returning id
                """).param("uuid", uuid).param("vm", past.vmName()).param("ready", utc(ready))
                .param("released", utc(released)).param("centre", past.costCentre(), Types.VARCHAR)
                .param("user", past.username()).param("offering", past.offering())
                .query(Long.class).optional().orElse(null);
        if (slice == null) {
            return;
        }
        jdbc.sql("""
                insert into license_lease (slice_id, edition, seat_key, holds_seat, acquired_at, renewed_at, ended_at, end_reason)
                select s.id, o.license_edition, 'slice:' || s.id, true, s.ready_at, s.released_at, s.released_at, 'RELEASED'
                from slice s join offering o on o.id = s.offering_id where s.id = ? and o.license_edition is not null
                """).param(slice).update();
        // Allocated seconds per UTC hour as AllocationRollup writes them, and a sample a minute whose utilization
        // follows the working day around the slice's mean.
        jdbc.sql("""
                insert into usage_hourly (slice_id, hour, seconds_allocated, sample_count, utilization_sum, utilization_peak,
                                          memory_peak_mib)
                select s.id, h.hour,
                       extract(epoch from least(date_trunc('second', s.released_at), h.hour + interval '1 hour')
                                          - greatest(date_trunc('second', s.ready_at), h.hour))::integer,
                       60,
                       60 * u.mean,
                       greatest(u.mean, least(:peak, u.mean + 10)),
                       (:memory * (0.6 + 0.4 * (extract(hour from h.hour at time zone 'UTC') between 8 and 18)::int))::integer
                from slice s
                cross join lateral generate_series(date_trunc('hour', s.ready_at, 'UTC'), s.released_at - interval '1 second',
                                                   interval '1 hour') as h(hour)
                cross join lateral (select greatest(0, least(100, :mean
                        + case when extract(hour from h.hour at time zone 'UTC') between 8 and 18 then 15 else -15 end))::integer
                        as mean) u
                where s.id = :slice
                """).param("slice", slice).param("mean", past.meanUtilization()).param("peak", past.peakUtilization())
                .param("memory", past.peakMemoryMib()).update();
        // The peak of the month shows once a day, at 14:00 UTC.
        jdbc.sql("""
                update usage_hourly set utilization_peak = :peak, memory_peak_mib = :memory
                where slice_id = :slice and extract(hour from hour at time zone 'UTC') = 14
                """).param("slice", slice).param("peak", past.peakUtilization()).param("memory", past.peakMemoryMib()).update();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
