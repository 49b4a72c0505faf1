package io.vgpuhub.metering.licensing.report;

import static io.vgpuhub.metering.SqlTime.instant;
import static io.vgpuhub.metering.SqlTime.utc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.SeatCount;
import io.vgpuhub.metering.licensing.SeatLeases;
import io.vgpuhub.metering.licensing.entitlement.EditionPolicies;
import io.vgpuhub.metering.licensing.entitlement.EditionPolicy;
import io.vgpuhub.metering.licensing.entitlement.EntitlementView;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the license administrator reads: seats now, seat use over time against the entitled seats, a usage report
 * for a true-up, entitlements about to end, the slices holding seats, and slices whose guest is not licensed although
 * they hold a seat. Reads only; every figure comes from license_lease, license_entitlement and usage_sample.
 */
@Service
public class LicenseReports {

    /** The expiry windows the license administrator watches, in days. */
    public static final List<Integer> EXPIRY_WINDOWS = List.of(30, 60, 90);

    private final JdbcClient jdbc;
    private final SeatHistory history;
    private final SeatLeases leases;
    private final EditionPolicies editions;
    private final LicenseReportSettings settings;
    private final Clock clock;

    LicenseReports(JdbcClient jdbc, SeatHistory history, SeatLeases leases, EditionPolicies editions,
            LicenseReportSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.history = history;
        this.leases = leases;
        this.editions = editions;
        this.settings = settings;
        this.clock = clock;
    }

    public LicenseReportSettings settings() {
        return settings;
    }

    /** Per edition, seats entitled, used and free right now, slices running unlicensed, and the exhaustion warning. */
    @Transactional(readOnly = true)
    public List<EditionSeats> seatsNow() {
        Map<Edition, SeatCount> seats = leases.seatsNow();
        List<EditionSeats> result = new ArrayList<>();
        for (EditionPolicy edition : editions.editions()) {
            SeatCount count = seats.get(edition.edition());
            result.add(EditionSeats.of(edition.edition(), edition.name(), edition.perGpu(), edition.admissionPolicy(),
                    count.entitled(), count.used(), count.flagged(), settings.exhaustionWarningPercent()));
        }
        return List.copyOf(result);
    }

    /**
     * Per edition and UTC day from {@code firstDay} to {@code lastDay} (both included): the daily peak of concurrent
     * seats and the most seats entitled that day. A day not over yet counts up to now.
     */
    @Transactional(readOnly = true)
    public List<EditionSeatHistory> concurrentSeatUse(LocalDate firstDay, LocalDate lastDay) {
        if (lastDay.isBefore(firstDay)) {
            throw new IllegalArgumentException("The last day " + lastDay + " comes before the first day " + firstDay + ".");
        }
        Instant from = startOf(firstDay);
        Instant to = startOf(lastDay.plusDays(1));
        Map<Edition, SeatHistory.EditionHistory> seats = history.over(from, to, clock.instant());
        List<EditionSeatHistory> result = new ArrayList<>();
        for (EditionPolicy edition : editions.editions()) {
            SeatHistory.EditionHistory h = seats.get(edition.edition());
            List<DailySeats> days = new ArrayList<>();
            for (LocalDate day = firstDay; !day.isAfter(lastDay); day = day.plusDays(1)) {
                Instant start = startOf(day);
                Instant end = startOf(day.plusDays(1));
                days.add(new DailySeats(day, h.seats().max(start, end), h.entitled().max(start, end)));
            }
            result.add(new EditionSeatHistory(edition.edition(), edition.name(), List.copyOf(days)));
        }
        return result;
    }

    /**
     * Per edition over [from, to): peak and time-weighted average concurrent seats, the most seats entitled and those
     * entitled at the end, and the peak of slices running unlicensed. Leases still running count up to now, so a
     * period that reaches past now averages in nothing for the time still to come.
     */
    @Transactional(readOnly = true)
    public UsageReport usageReport(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("The period must end after it starts (" + from + " to " + to + ").");
        }
        Map<Edition, SeatHistory.EditionHistory> seats = history.over(from, to, clock.instant());
        List<EditionUsage> rows = new ArrayList<>();
        for (EditionPolicy edition : editions.editions()) {
            SeatHistory.EditionHistory h = seats.get(edition.edition());
            rows.add(new EditionUsage(edition.edition(), edition.name(), h.seats().max(), h.seats().average(2),
                    h.entitled().max(), h.entitled().atEnd(), h.flagged().max()));
        }
        return new UsageReport(from, to, List.copyOf(rows));
    }

    /** Entitlements that end within the next {@code days} days (valid_until in (now, now + days]), soonest first. */
    @Transactional(readOnly = true)
    public List<EntitlementView> expiring(int days) {
        Instant now = clock.instant();
        return jdbc.sql("""
                select id, edition, seats, valid_from, valid_until, order_reference, notes, created_at, updated_at
                from license_entitlement where valid_until > :now and valid_until <= :until
                order by valid_until, id
                """)
                .param("now", utc(now)).param("until", utc(now.plus(Duration.ofDays(days))))
                .query((rs, n) -> new EntitlementView(rs.getLong(1), Edition.valueOf(rs.getString(2)), rs.getInt(3),
                        instant(rs, 4), instant(rs, 5), rs.getString(6), rs.getString(7), instant(rs, 8), instant(rs, 9)))
                .list();
    }

    /** The running leases: by edition, unlicensed (flagged) slices first, then the longest held first. */
    @Transactional(readOnly = true)
    public List<SeatHolder> holders() {
        return jdbc.sql("""
                select s.uuid, t.name, s.vm_name, o.code, l.edition, l.seat_key, h.name, g.pci_address, g.model,
                       l.acquired_at, l.renewed_at, l.holds_seat
                from license_lease l
                join slice s on s.id = l.slice_id
                join tenant t on t.id = s.tenant_id
                join offering o on o.id = s.offering_id
                left join gpu g on g.id = coalesce(l.gpu_id, s.gpu_id)
                left join host h on h.id = g.host_id
                where l.ended_at is null
                order by l.edition, l.holds_seat, l.acquired_at, l.id
                """)
                .query((rs, n) -> new SeatHolder(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), Edition.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7),
                        rs.getString(8) == null ? null : rs.getString(9) + " " + rs.getString(8), instant(rs, 10),
                        instant(rs, 11), rs.getBoolean(12)))
                .list();
    }

    /** {@link #mismatches(Duration)} with the configured threshold (vgpuhub.licensing.report.mismatch-after). */
    @Transactional(readOnly = true)
    public List<LicenseMismatch> mismatches() {
        return mismatches(settings.mismatchAfter());
    }

    /**
     * Slices that hold a seat while their guest has not been licensed for longer than {@code threshold}. Precisely,
     * a running lease with holds_seat is a mismatch at instant {@code now} when
     * <ol>
     * <li>the latest sample of its slice taken since the lease began that carries a license state says anything but
     * LICENSED, and</li>
     * <li>the slice's last LICENSED sample since the lease began, or the lease's start when there is none, lies at
     * least {@code threshold} before now: the guest has gone unlicensed (or never got licensed) that long.</li>
     * </ol>
     * Samples without a license state (the agent could not ask, e.g. a passthrough GPU whose guest the host cannot see)
     * say nothing either way, so a slice with only those is never a mismatch; nor is a slice whose latest state is
     * LICENSED, however old that sample is (a silent host is the lease expiry's business, not this report's).
     */
    @Transactional(readOnly = true)
    public List<LicenseMismatch> mismatches(Duration threshold) {
        Instant cutoff = clock.instant().minus(threshold);
        return jdbc.sql("""
                with candidates as materialized (
                    -- Cheap tests first, on the newest samples only: the latest state, and any LICENSED one since the
                    -- cutoff. Only the few leases left need the (possibly long) search for their last LICENSED sample.
                    select l.id, l.slice_id, l.edition, l.acquired_at, latest.license_state, latest.sampled_at
                    from license_lease l
                    cross join lateral (select u.license_state, u.sampled_at from usage_sample u
                                        where u.slice_id = l.slice_id and u.sampled_at >= l.acquired_at
                                          and u.license_state is not null
                                        order by u.sampled_at desc limit 1) latest
                    where l.ended_at is null and l.holds_seat and latest.license_state <> 'LICENSED'
                      and l.acquired_at <= :cutoff
                      and not exists (select 1 from usage_sample u
                                      where u.slice_id = l.slice_id and u.sampled_at > :cutoff
                                        and u.sampled_at >= l.acquired_at and u.license_state = 'LICENSED')
                )
                select s.uuid, t.name, s.vm_name, o.code, c.edition, c.acquired_at, c.license_state, c.sampled_at,
                       licensed.sampled_at
                from candidates c
                join slice s on s.id = c.slice_id
                join tenant t on t.id = s.tenant_id
                join offering o on o.id = s.offering_id
                left join lateral (select u.sampled_at from usage_sample u
                                   where u.slice_id = c.slice_id and u.sampled_at >= c.acquired_at
                                     and u.license_state = 'LICENSED'
                                   order by u.sampled_at desc limit 1) licensed on true
                order by coalesce(licensed.sampled_at, c.acquired_at), c.id
                """)
                .param("cutoff", utc(cutoff))
                .query((rs, n) -> new LicenseMismatch(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), Edition.valueOf(rs.getString(5)), instant(rs, 6), rs.getString(7),
                        instant(rs, 8), instant(rs, 9)))
                .list();
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
