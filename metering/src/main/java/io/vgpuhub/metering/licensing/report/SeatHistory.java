package io.vgpuhub.metering.licensing.report;

import static io.vgpuhub.metering.SqlTime.instant;
import static io.vgpuhub.metering.SqlTime.utc;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.licensing.Edition;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Seat use and entitled seats over a period, per edition, as step functions. A seat is counted once however many
 * leases shared it at a time (slices of a per-GPU edition on one GPU share the GPU's seat): the leases' intervals are
 * merged per seat_key before they are counted. A lease still running counts until {@code now}.
 */
@Component
class SeatHistory {

    /** Seats held, unlicensed (flagged) slices and entitled seats of one edition over the period. */
    record EditionHistory(StepFunction seats, StepFunction flagged, StepFunction entitled) {
    }

    private final JdbcClient jdbc;

    SeatHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<Edition, EditionHistory> over(Instant from, Instant to, Instant now) {
        Map<Edition, List<StepFunction.Interval>> seats = perEdition();
        Map<Edition, List<StepFunction.Interval>> flagged = perEdition();
        Map<Edition, List<StepFunction.Interval>> entitled = perEdition();
        // range_agg merges the overlapping and touching intervals of one seat (or of one flagged slice) into disjoint
        // ones; a lease that has not ended counts until now (and not before it began, should clocks disagree).
        jdbc.sql("""
                select edition, holds_seat, lower(r) as start_at, upper(r) as end_at
                from (select edition, holds_seat,
                             unnest(range_agg(tstzrange(acquired_at, greatest(acquired_at, coalesce(ended_at, :now))))) as r
                      from license_lease
                      where acquired_at < :to and coalesce(ended_at, :now) > :from
                      group by edition, holds_seat, case when holds_seat then seat_key else 'slice:' || slice_id end) merged
                """)
                .param("from", utc(from)).param("to", utc(to)).param("now", utc(now))
                .query((ResultSet rs) -> {
                    StepFunction.Interval interval = new StepFunction.Interval(instant(rs, 3), instant(rs, 4), 1);
                    (rs.getBoolean(2) ? seats : flagged).get(Edition.valueOf(rs.getString(1))).add(interval);
                });
        jdbc.sql("""
                select edition, seats, valid_from, valid_until from license_entitlement
                where valid_from < :to and (valid_until is null or valid_until > :from)
                """)
                .param("from", utc(from)).param("to", utc(to))
                .query((ResultSet rs) -> {
                    entitled.get(Edition.valueOf(rs.getString(1)))
                            .add(new StepFunction.Interval(instant(rs, 3), instant(rs, 4), rs.getInt(2)));
                });
        Map<Edition, EditionHistory> history = new EnumMap<>(Edition.class);
        for (Edition edition : Edition.values()) {
            history.put(edition, new EditionHistory(new StepFunction(from, to, seats.get(edition)),
                    new StepFunction(from, to, flagged.get(edition)), new StepFunction(from, to, entitled.get(edition))));
        }
        return history;
    }

    private static Map<Edition, List<StepFunction.Interval>> perEdition() {
        Map<Edition, List<StepFunction.Interval>> map = new EnumMap<>(Edition.class);
        for (Edition edition : Edition.values()) {
            map.put(edition, new ArrayList<>());
        }
        return map;
    }
}
