package io.vgpuhub.web.finance;

import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * February 2024 for two tenants, written with SQL as the rollup and the lease code leave it: a EUR rate card from
 * January 2024, alice's tenant (Acme Research) with slices on its root and on a sub cost centre, and a second tenant
 * (Globex Imaging, user gary) with its own slice. Written once per database; every test reads the same month.
 */
public final class FinanceFixtures {

    public static final String MONTH = "2024-02";
    public static final String OTHER_TENANT = "Globex Imaging";
    public static final String OTHER_VM = "globex-render";

    private final JdbcClient jdbc;

    public FinanceFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long acme() {
        return tenant("Acme Research");
    }

    public long globex() {
        return tenant(OTHER_TENANT);
    }

    public long slice(String vmName) {
        return jdbc.sql("select id from slice where vm_name = ?").param(vmName).query(Long.class).single();
    }

    /** Idempotent: the first test of the context writes the month, the others find it. */
    public synchronized void february() {
        if (jdbc.sql("select count(*) from rate_card where effective_from = '2024-01-01'").query(Long.class).single() > 0) {
            return;
        }
        long card = jdbc.sql("""
                insert into rate_card (effective_from, currency, name) values ('2024-01-01', 'EUR', 'Tests 2024') returning id
                """).query(Long.class).single();
        jdbc.sql("""
                insert into rate_card_offering (rate_card_id, offering_id, price_per_hour)
                select ?, id, case code when 'A40-8Q' then 1.2000 when 'A40-4Q' then 0.7000 when 'A40-2B' then 0.3333
                                        else 1.0000 end
                from offering where code in ('A40-8Q', 'A40-4Q', 'A40-2B', 'A40-24Q')
                """).param(card).update();
        jdbc.sql("""
                insert into rate_card_edition (rate_card_id, edition, price_per_seat_hour)
                values (?, 'VWS', 0.1500), (?, 'VPC', 0.0500)
                """).params(card, card).update();
        jdbc.sql("insert into tenant (name) values (?) on conflict (name) do nothing").param(OTHER_TENANT).update();
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                select id, 'gary', 'Gary Globex', '{noop}x' from tenant where name = ? on conflict (username) do nothing
                """).param(OTHER_TENANT).update();
        jdbc.sql("""
                insert into user_role (user_id, role) select id, 'TENANT_USER' from app_user where username = 'gary'
                on conflict do nothing
                """).update();
        long acme = acme();
        jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                select ?, id, 'CC-LAB', 'Imaging lab' from cost_centre where tenant_id = ? and parent_id is null
                on conflict (tenant_id, code) do nothing
                """).params(acme, acme).update();
        // The whole month on CC-LAB, peak framebuffer 3000 of 8192 MiB: hinted down to A40-4Q.
        slice("alice", "fin-cad-1", "A40-8Q", "CC-LAB", "2024-01-20T10:00:00Z", "2024-03-05T00:00:00Z", 40, 3000);
        slice("alice", "fin-vdi-1", "A40-2B", null, "2024-02-10T08:30:15Z", "2024-02-12T17:45:50Z", 20, 1500);
        slice("tom", "fin-cad-2", "A40-4Q", null, "2024-02-27T12:00:00Z", "2024-03-02T06:00:00Z", 60, 3900);
        slice("gary", OTHER_VM, "A40-24Q", null, "2024-02-01T00:00:00Z", "2024-02-15T00:00:00Z", 90, 20000);
    }

    private void slice(String user, String vm, String offering, String costCentre, String ready, String released,
            int utilization, int memoryMib) {
        long id = jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, ready_at, released_at,
                                   cost_centre_id)
                select :uuid, u.tenant_id, u.id, o.id, o.kind, :vm, 'RELEASED', :ready, :released,
                       (select c.id from cost_centre c where c.tenant_id = u.tenant_id
                        and (c.code = :centre or (:centre is null and c.parent_id is null)))
                from app_user u, offering o where u.username = :user and o.code = :offering returning id
                """).param("uuid", UUID.randomUUID()).param("vm", vm).param("ready", utc(ready))
                .param("released", utc(released)).param("centre", costCentre, Types.VARCHAR).param("user", user)
                .param("offering", offering).query(Long.class).single();
        jdbc.sql("""
                insert into license_lease (slice_id, edition, seat_key, holds_seat, acquired_at, renewed_at, ended_at, end_reason)
                select s.id, o.license_edition, 'slice:' || s.id, true, s.ready_at, s.released_at, s.released_at, 'RELEASED'
                from slice s join offering o on o.id = s.offering_id where s.id = ? and o.license_edition is not null
                """).param(id).update();
        jdbc.sql("""
                insert into usage_hourly (slice_id, hour, seconds_allocated, sample_count, utilization_sum, utilization_peak,
                                          memory_peak_mib)
                select s.id, h.hour,
                       extract(epoch from least(date_trunc('second', s.released_at), h.hour + interval '1 hour')
                                          - greatest(date_trunc('second', s.ready_at), h.hour))::integer,
                       60, 60 * :util, :util, :memory
                from slice s
                cross join lateral generate_series(date_trunc('hour', s.ready_at, 'UTC'), s.released_at - interval '1 second',
                                                   interval '1 hour') as h(hour)
                where s.id = :slice
                """).param("slice", id).param("util", utilization).param("memory", memoryMib).update();
    }

    private long tenant(String name) {
        return jdbc.sql("select id from tenant where name = ?").param(name).query(Long.class).single();
    }

    static OffsetDateTime utc(String instant) {
        return Instant.parse(instant).atOffset(ZoneOffset.UTC);
    }

    static LocalDate day(String date) {
        return LocalDate.parse(date);
    }
}
