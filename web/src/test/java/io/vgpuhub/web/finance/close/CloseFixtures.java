package io.vgpuhub.web.finance.close;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Tenants, released slices and rate cards for the close and adjustment pages, in months of the tests' choosing. */
final class CloseFixtures {

    static final String PRICED = "A40 whole GPU";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final JdbcClient jdbc;

    CloseFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long tenant(String name) {
        return jdbc.sql("insert into tenant (name) values (?) returning id").param(name + " " + SEQUENCE.incrementAndGet())
                .query(Long.class).single();
    }

    long root(long tenant) {
        return jdbc.sql("select id from cost_centre where tenant_id = ? and parent_id is null").param(tenant)
                .query(Long.class).single();
    }

    long subCostCentre(long tenant, String code) {
        return jdbc.sql("insert into cost_centre (tenant_id, parent_id, code, name) values (?, ?, ?, ?) returning id")
                .params(tenant, root(tenant), code, "Cost centre " + code).query(Long.class).single();
    }

    /** A slice of the offering that was READY for {@code hours} from the 2nd of the month, 10:00 UTC, and released. */
    void released(long tenant, String offeringCode, YearMonth month, int hours) {
        long user = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, ?, 'Close Test', '{noop}not-a-real-password-hash') returning id""")
                .params(tenant, "close-" + SEQUENCE.incrementAndGet()).query(Long.class).single();
        Instant ready = month.atDay(2).atTime(10, 0).toInstant(ZoneOffset.UTC);
        long slice = jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, ready_at, released_at)
                select :uuid, :tenant, :user, o.id, o.kind, :vm, 'RELEASED', :ready, :released
                from offering o where o.code = :offering returning id""")
                .param("uuid", UUID.randomUUID()).param("tenant", tenant).param("user", user)
                .param("vm", "close-vm-" + SEQUENCE.incrementAndGet()).param("offering", offeringCode)
                .param("ready", ready.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("released", ready.plusSeconds(hours * 3600L).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .query(Long.class).single();
        // Its hours as the allocation rollup writes them; the scheduled rollup looks back an hour only, not years.
        jdbc.sql("""
                insert into usage_hourly (slice_id, hour, seconds_allocated)
                select :slice, h, 3600 from generate_series(cast(:ready as timestamptz),
                    cast(:ready as timestamptz) + make_interval(hours => :hours - 1), interval '1 hour') h""")
                .param("slice", slice).param("ready", ready.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("hours", hours).update();
    }

    /** A rate card from the first of the month pricing only the {@link #PRICED} offering. */
    void rateCard(YearMonth month, String perHour) {
        long card = jdbc.sql("""
                insert into rate_card (effective_from, currency, name) values (?, 'EUR', ?) returning id""")
                .params(month.atDay(1), "Close test card " + month).query(Long.class).single();
        jdbc.sql("""
                insert into rate_card_offering (rate_card_id, offering_id, price_per_hour)
                select ?, id, ? from offering where code = ?""").params(card, new BigDecimal(perHour), PRICED).update();
    }

    boolean closed(YearMonth month) {
        return jdbc.sql("select exists (select 1 from billing_month where month = ?)").param(month.atDay(1))
                .query(Boolean.class).single();
    }

    long adjustments(YearMonth month) {
        return jdbc.sql("select count(*) from billing_adjustment where month = ?").param(month.atDay(1))
                .query(Long.class).single();
    }

    long audits(String action) {
        return jdbc.sql("select count(*) from audit_event where action = ?").param(action).query(Long.class).single();
    }
}
