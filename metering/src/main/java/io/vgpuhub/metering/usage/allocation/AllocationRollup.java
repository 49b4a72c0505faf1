package io.vgpuhub.metering.usage.allocation;

import static io.vgpuhub.metering.SqlTime.utc;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes each slice's allocated seconds (from READY to RELEASED, to the second) into its UTC hours of
 * {@code usage_hourly}, the figure chargeback bills. Every hour a run touches is recomputed whole from the slice row,
 * so a run repeated, or two servers running it side by side, write the same figures.
 *
 * <p>A run covers the hours from an hour before the last run up to now: the margin takes in slices whose READY or
 * release committed after that run read the table although their timestamps lie before it (the timestamps are taken
 * when their transactions start).
 */
@Service
public class AllocationRollup {

    /** The job's row in metering_watermark. */
    static final String JOB = "allocation";

    /** How far before the last run a run looks again, for transitions that committed late. */
    static final Duration CATCH_UP_MARGIN = Duration.ofHours(1);

    private final JdbcClient jdbc;

    AllocationRollup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Brings seconds_allocated up to date for every slice allocated at some time in [since, now), where since is the
     * last run's now less {@link #CATCH_UP_MARGIN} (the first run starts from the earliest READY), and moves the
     * watermark to {@code now}. A still running slice counts up to {@code now} and grows on the next run.
     *
     * @return how many hourly rows were written or changed
     */
    @Transactional
    public int run(Instant now) {
        // One run at a time across servers; the loser waits and then finds the work done.
        jdbc.sql("select pg_advisory_xact_lock(hashtext('metering_watermark:' || :job))").param("job", JOB)
                .query((rs, row) -> 1).single();
        Instant since = doneUntil().map(doneUntil -> doneUntil.minus(CATCH_UP_MARGIN)).orElse(null);
        // Instants are cut to whole seconds before they are split into hours, so the hours of a slice add up to its
        // whole seconds with no rounding per hour. Hours are UTC hours whatever the session's time zone.
        int written = jdbc.sql("""
                with run as (
                    select cast(:now as timestamptz) as now_at,
                           coalesce(cast(:since as timestamptz), '-infinity') as since_at
                ),
                allocated as (
                    select s.id as slice_id,
                           date_trunc('second', s.ready_at) as from_at,
                           date_trunc('second', least(coalesce(s.released_at, r.now_at), r.now_at)) as until_at,
                           r.since_at
                    from slice s cross join run r
                    where s.ready_at < r.now_at and (s.released_at is null or s.released_at > r.since_at)
                ),
                hourly as (
                    select a.slice_id, h.hour,
                           extract(epoch from least(a.until_at, h.hour + interval '1 hour') - greatest(a.from_at, h.hour))
                               as seconds
                    from allocated a
                    cross join lateral generate_series(
                        date_trunc('hour', greatest(a.from_at, a.since_at), 'UTC'),
                        a.until_at, interval '1 hour') as h(hour)
                )
                insert into usage_hourly as u (slice_id, hour, seconds_allocated)
                select slice_id, hour, cast(seconds as integer) from hourly where seconds > 0
                on conflict (slice_id, hour) do update set seconds_allocated = excluded.seconds_allocated
                where u.seconds_allocated <> excluded.seconds_allocated
                """)
                .param("now", utc(now), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("since", since == null ? null : utc(since), Types.TIMESTAMP_WITH_TIMEZONE)
                .update();
        // A release that committed after a run which counted the slice as running may end before an hour that run
        // already wrote: no hour of the new series covers it any more, so it is emptied here.
        written += jdbc.sql("""
                update usage_hourly u set seconds_allocated = 0
                from slice s
                where u.slice_id = s.id and s.released_at is not null
                  and s.released_at > coalesce(cast(:since as timestamptz), '-infinity')
                  and u.hour >= date_trunc('second', s.released_at) and u.seconds_allocated > 0
                """)
                .param("since", since == null ? null : utc(since), Types.TIMESTAMP_WITH_TIMEZONE)
                .update();
        // The watermark never moves back, so a server with a slow clock cannot make the next run skip hours.
        jdbc.sql("""
                insert into metering_watermark (job, done_until) values (:job, :now)
                on conflict (job) do update set done_until = greatest(metering_watermark.done_until, excluded.done_until)
                """).param("job", JOB).param("now", utc(now), Types.TIMESTAMP_WITH_TIMEZONE).update();
        return written;
    }

    /** Up to when allocated seconds are written; empty before the first run. */
    @Transactional(readOnly = true)
    public Optional<Instant> doneUntil() {
        return jdbc.sql("select done_until from metering_watermark where job = :job").param("job", JOB)
                .query(OffsetDateTime.class).optional().map(OffsetDateTime::toInstant);
    }

    /**
     * The seconds the slice was allocated in the hours that start in [from, to), as of the last run. Whole hours: a
     * bound inside an hour counts that hour in or out by its start.
     */
    @Transactional(readOnly = true)
    public long allocatedSeconds(long sliceId, Instant from, Instant to) {
        return jdbc.sql("""
                select coalesce(sum(seconds_allocated), 0) from usage_hourly
                where slice_id = :slice and hour >= :from and hour < :to
                """).param("slice", sliceId)
                .param("from", utc(from), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("to", utc(to), Types.TIMESTAMP_WITH_TIMEZONE)
                .query(Long.class).single();
    }
}
