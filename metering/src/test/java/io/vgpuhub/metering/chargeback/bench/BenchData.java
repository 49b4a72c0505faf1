package io.vgpuhub.metering.chargeback.bench;

import static io.vgpuhub.metering.SqlTime.utc;

import java.sql.Types;
import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.BillingMonths;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Generates the benchmark's month, set-based and deterministic: tenants (every other one with a sub cost centre),
 * released slices over every enabled offering (a third run the whole month, the rest start at spread instants and
 * last one hour to ten days, some past the month's end), their hourly usage rows with samples (most slices' peak
 * framebuffer under half of their profile, so rightsizing hints are computed), seat leases for licensed offerings
 * (vCS seats shared by two slices), and two rate cards (a price change on the 16th).
 */
final class BenchData {

    private BenchData() {
    }

    static void generate(JdbcClient jdbc, YearMonth month, int tenants, int slices) {
        jdbc.sql("insert into tenant (name) select 'Bench tenant ' || lpad(g::text, 5, '0') from generate_series(1, ?) g")
                .param(tenants).update();
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                select id, 'bench-' || id, 'Bench', '{noop}not-a-real-password-hash' from tenant
                where name like 'Bench tenant %'""").update();
        jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                select c.tenant_id, c.id, 'PROJECTS', 'Projects' from cost_centre c join tenant t on t.id = c.tenant_id
                where t.name like 'Bench tenant %' and c.parent_id is null and t.id % 2 = 0""").update();
        jdbc.sql("""
                with o as (select id, kind, row_number() over (order by id) - 1 as n from offering where enabled),
                     total as (select count(*) as offerings from o),
                     t as (select t.id as tenant_id, u.id as user_id, row_number() over (order by t.id) - 1 as n
                           from tenant t join app_user u on u.tenant_id = t.id where t.name like 'Bench tenant %'),
                     g as (select g, cast(:start as timestamptz) as start_at, cast(:end as timestamptz) as end_at
                           from generate_series(0, :slices - 1) g),
                     spans as (
                         select g.g,
                                case when g.g % 3 = 0 then g.start_at - interval '3 days'
                                     else g.start_at + make_interval(secs => (g.g * 7919) % (28 * 86400)) end as ready_at,
                                case when g.g % 3 = 0 then g.end_at + interval '2 days'
                                     else g.start_at + make_interval(secs => (g.g * 7919) % (28 * 86400)
                                          + 3600 + (g.g * 104729) % (10 * 86400)) end as released_at
                         from g)
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, ready_at, released_at,
                                   cost_centre_id)
                select gen_random_uuid(), t.tenant_id, t.user_id, o.id, o.kind, 'bench-vm-' || s.g, 'RELEASED',
                       s.ready_at, s.released_at,
                       case when s.g % 2 = 0 then (select id from cost_centre c
                                                   where c.tenant_id = t.tenant_id and c.parent_id is not null) end
                from spans s cross join total
                join t on t.n = s.g % :tenants
                join o on o.n = (s.g / :tenants) % total.offerings""")
                .param("start", utc(BillingMonths.start(month)), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("end", utc(BillingMonths.end(month)), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("slices", slices).param("tenants", tenants).update();
        jdbc.sql("""
                insert into usage_hourly (slice_id, hour, seconds_allocated, sample_count, utilization_sum,
                                          utilization_peak, memory_peak_mib)
                select id, hour, seconds, 60, 60 * util, least(100, util + 15),
                       framebuffer_mib * (1 + id % 10) / 20
                from (
                    select s.id, h.hour, o.framebuffer_mib,
                           cast(extract(epoch from least(s.released_at, h.hour + interval '1 hour')
                                                   - greatest(s.ready_at, h.hour)) as integer) as seconds,
                           cast((s.id * 37 + extract(hour from h.hour)) % 100 as integer) as util
                    from slice s join offering o on o.id = s.offering_id
                    cross join lateral generate_series(
                        date_trunc('hour', greatest(s.ready_at, cast(:start as timestamptz)), 'UTC'),
                        least(s.released_at, cast(:end as timestamptz)) - interval '1 microsecond',
                        interval '1 hour') as h(hour)
                    where s.vm_name like 'bench-vm-%') hours
                where seconds > 0""")
                .param("start", utc(BillingMonths.start(month)), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("end", utc(BillingMonths.end(month)), Types.TIMESTAMP_WITH_TIMEZONE).update();
        jdbc.sql("""
                insert into license_lease (slice_id, edition, seat_key, holds_seat, acquired_at, renewed_at, ended_at,
                                           end_reason)
                select s.id, o.license_edition,
                       case when e.per_gpu then 'gpu:' || (s.id / 2) else 'slice:' || s.id end,
                       true, s.ready_at, s.ready_at, s.released_at, 'RELEASED'
                from slice s join offering o on o.id = s.offering_id join license_edition e on e.code = o.license_edition
                where s.vm_name like 'bench-vm-%'""").update();
        card(jdbc, BillingMonths.firstDay(month.minusMonths(2)).toString(), "1.0");
        card(jdbc, BillingMonths.firstDay(month).plusDays(15).toString(), "1.1");
        jdbc.sql("analyze").update();
    }

    private static void card(JdbcClient jdbc, String effectiveFrom, String factor) {
        long card = jdbc.sql("""
                insert into rate_card (effective_from, currency, name) values (cast(? as date), 'EUR', ?) returning id""")
                .params(effectiveFrom, "Bench card " + effectiveFrom).query(Long.class).single();
        jdbc.sql("""
                insert into rate_card_offering (rate_card_id, offering_id, price_per_hour)
                select ?, id, round(greatest(price_per_hour, 0.5) * cast(? as numeric), 4) from offering where enabled""")
                .params(card, factor).update();
        jdbc.sql("""
                insert into rate_card_edition (rate_card_id, edition, price_per_seat_hour)
                select ?, code, round(0.0731 * cast(? as numeric), 4) from license_edition""").params(card, factor).update();
    }
}
