package io.vgpuhub.metering.chargeback;

import static io.vgpuhub.metering.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import io.vgpuhub.metering.SqlTime;
import io.vgpuhub.metering.licensing.Edition;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The quantities of a month in one set-based statement: per slice, stretch (the part of the month one rate card is in
 * force) and seat edition, its allocated seconds (from usage_hourly) and its seat seconds (from the seat leases), with
 * the slice's names and its showback figures for the month. Prices are applied by {@link ChargebackCalculator}.
 */
@Component
class ChargeQuery {

    /*
     * Allocated seconds: usage_hourly rows of the month's hours, each in the stretch its hour starts in (cards take
     * effect at midnights, so no hour straddles two). Seat seconds: leases holding a seat, cut to whole seconds and
     * clipped to each stretch; a seat key's time is cut at every lease boundary into pieces, and each piece is shared
     * equally by the leases holding the key during it (one lease for a per-VM seat; all slices on the GPU for vCS).
     * When one tenant is asked for, the seat keys its leases touched are still shared with every other holder.
     */
    private static final String SQL = """
            with bounds as (
                select cast(:from as timestamptz) as from_at, date_trunc('second', cast(:until as timestamptz)) as until_at,
                       cast(string_to_array(:starts, ',') as timestamptz[]) as starts
            ),
            stretch as (
                select cast(t.i as integer) as stretch, t.s as start_at,
                       least(coalesce(lead(t.s) over (order by t.i), b.until_at), b.until_at) as end_at
                from bounds b cross join lateral unnest(b.starts) with ordinality as t(s, i)
            ),
            usage as (
                select u.slice_id, width_bucket(u.hour, b.starts) as stretch,
                       sum(u.seconds_allocated) as seconds,
                       min(u.hour) filter (where u.seconds_allocated > 0) as first_hour,
                       max(u.hour) filter (where u.seconds_allocated > 0) as last_hour,
                       sum(u.sample_count) as samples, sum(u.utilization_sum) as utilization_sum,
                       max(u.utilization_peak) as utilization_peak, max(u.memory_peak_mib) as memory_peak
                from usage_hourly u cross join bounds b
                where u.hour >= b.from_at and u.hour < b.until_at
                  and (cast(:tenant as bigint) is null
                       or u.slice_id in (select id from slice where tenant_id = cast(:tenant as bigint)))
                group by 1, 2
            ),
            showback as (
                select slice_id, sum(samples) as samples, sum(utilization_sum) as utilization_sum,
                       max(utilization_peak) as utilization_peak, max(memory_peak) as memory_peak
                from usage group by slice_id
            ),
            lease as (
                select l.slice_id, l.edition, l.seat_key, st.stretch,
                       greatest(date_trunc('second', l.acquired_at), st.start_at) as from_at,
                       least(date_trunc('second', coalesce(l.ended_at, b.until_at)), st.end_at) as until_at
                from license_lease l cross join bounds b join stretch st on st.start_at < st.end_at
                where l.holds_seat and l.acquired_at < b.until_at and (l.ended_at is null or l.ended_at > b.from_at)
                  and (cast(:tenant as bigint) is null or (l.edition, l.seat_key) in (
                        select t.edition, t.seat_key from license_lease t join slice ts on ts.id = t.slice_id
                        where ts.tenant_id = cast(:tenant as bigint) and t.holds_seat
                          and t.acquired_at < b.until_at and (t.ended_at is null or t.ended_at > b.from_at)))
            ),
            held as (
                select * from lease where from_at < until_at
            ),
            point as (
                select distinct h.edition, h.seat_key, h.stretch, p.at
                from held h cross join lateral (values (h.from_at), (h.until_at)) as p(at)
            ),
            piece as (
                select edition, seat_key, stretch, at as from_at,
                       lead(at) over (partition by edition, seat_key, stretch order by at) as until_at
                from point
            ),
            share as (
                select h.slice_id, h.edition, h.stretch, pc.from_at, pc.until_at,
                       extract(epoch from pc.until_at - pc.from_at)
                           / count(*) over (partition by pc.edition, pc.seat_key, pc.stretch, pc.from_at) as seconds
                from piece pc
                join held h on h.edition = pc.edition and h.seat_key = pc.seat_key and h.stretch = pc.stretch
                           and h.from_at <= pc.from_at and h.until_at >= pc.until_at
                where pc.until_at is not null
            ),
            seat as (
                select slice_id, edition, stretch, round(sum(seconds), 3) as seconds,
                       min(from_at) as from_at, max(until_at) as until_at
                from share group by 1, 2, 3
            ),
            line as (
                select coalesce(a.slice_id, t.slice_id) as slice_id, coalesce(a.stretch, t.stretch) as stretch,
                       t.edition, coalesce(a.seconds, 0) as allocated, a.first_hour, a.last_hour,
                       coalesce(t.seconds, 0) as seat_seconds, t.from_at as seat_from, t.until_at as seat_until,
                       row_number() over (partition by coalesce(a.slice_id, t.slice_id), coalesce(a.stretch, t.stretch)
                                          order by t.from_at, t.edition) as nth
                from (select * from usage where seconds > 0) a
                full join seat t on t.slice_id = a.slice_id and t.stretch = a.stretch
            )
            select l.slice_id, l.stretch, l.edition, case when l.nth = 1 then l.allocated else 0 end as allocated,
                   l.seat_seconds, l.seat_from, l.seat_until,
                   case when l.nth = 1 and l.allocated > 0 then
                       case when r.from_at < r.until_at then r.from_at
                            else greatest(st.start_at, l.first_hour) end end as allocated_from,
                   case when l.nth = 1 and l.allocated > 0 then
                       case when r.from_at < r.until_at then r.until_at
                            else least(st.end_at, l.last_hour + interval '1 hour') end end as allocated_until,
                   s.uuid, s.vm_name, s.offering_id, o.code as offering_code,
                   s.tenant_id, tn.name as tenant_name,
                   c.id as cost_centre_id, c.code as cost_centre_code, c.name as cost_centre_name,
                   p.code as cost_centre_parent,
                   sb.samples, sb.utilization_sum, sb.utilization_peak, sb.memory_peak
            from line l
            cross join bounds b
            join stretch st on st.stretch = l.stretch
            join slice s on s.id = l.slice_id
            join offering o on o.id = s.offering_id
            join tenant tn on tn.id = s.tenant_id
            join cost_centre c on c.id = s.cost_centre_id
            left join cost_centre p on p.id = c.parent_id
            left join showback sb on sb.slice_id = l.slice_id
            -- The allocated stretch as the rollup counts it: READY to RELEASED in whole seconds, within the stretch.
            cross join lateral (
                select greatest(st.start_at, date_trunc('second', s.ready_at)) as from_at,
                       least(st.end_at, date_trunc('second', coalesce(s.released_at, b.until_at))) as until_at
            ) r
            where ((l.allocated > 0 and l.nth = 1) or l.seat_seconds > 0)
              and (cast(:tenant as bigint) is null or s.tenant_id = cast(:tenant as bigint))
            """;

    private final JdbcClient jdbc;

    ChargeQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The rows of [from, until) for the stretches starting at {@code starts} (the first at {@code from}); tenant null
     * for every tenant.
     */
    List<Row> rows(Instant from, Instant until, List<Instant> starts, Long tenantId) {
        if (!until.isAfter(from)) {
            return List.of();
        }
        return jdbc.sql(SQL)
                .param("from", utc(from), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("until", utc(until), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("starts", starts.stream().map(Instant::toString).collect(Collectors.joining(",")))
                .param("tenant", tenantId, Types.BIGINT)
                .query(ChargeQuery::row).list();
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        String edition = rs.getString("edition");
        String parent = rs.getString("cost_centre_parent");
        long samples = rs.getLong("samples");
        return new Row(rs.getLong("slice_id"), rs.getInt("stretch"), edition == null ? null : Edition.valueOf(edition),
                rs.getLong("allocated"), rs.getBigDecimal("seat_seconds").setScale(3),
                first(SqlTime.instant(rs, "allocated_from"), SqlTime.instant(rs, "seat_from")),
                last(SqlTime.instant(rs, "allocated_until"), SqlTime.instant(rs, "seat_until")),
                rs.getObject("uuid", UUID.class), rs.getString("vm_name"), rs.getLong("offering_id"),
                rs.getString("offering_code"), new TenantRef(rs.getLong("tenant_id"), rs.getString("tenant_name")),
                new CostCentreRef(rs.getLong("cost_centre_id"), rs.getString("cost_centre_code"),
                        rs.getString("cost_centre_name"), parent),
                samples, rs.getLong("utilization_sum"), (Integer) rs.getObject("utilization_peak", Integer.class),
                (Integer) rs.getObject("memory_peak", Integer.class));
    }

    private static Instant first(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant last(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /**
     * One slice's quantities in one stretch for one edition (null: no seat), and the slice's showback figures for the
     * whole month (the same on each of its rows).
     *
     * @param stretch 1-based index into the month's stretches
     */
    record Row(long sliceId, int stretch, Edition edition, long allocatedSeconds, java.math.BigDecimal seatSeconds,
            Instant periodStart, Instant periodEnd, UUID sliceUuid, String vmName, long offeringId, String offeringCode,
            TenantRef tenant, CostCentreRef costCentre, long samples, long utilizationSum, Integer utilizationPeak,
            Integer memoryPeak) {
    }
}
