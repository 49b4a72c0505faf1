package io.vgpuhub.metering.usage;

import static io.vgpuhub.metering.SqlTime.instant;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Checks a whole usage batch before anything of it is written, and says precisely what is wrong with the first bad
 * sample (by its position in the batch, as the agent sent it). Reads only.
 */
@Component
class UsageBatchCheck {

    /** NVML's guest license states (NVML_GRID_LICENSE_STATE_*) and the agent's word for "no guest driver yet". */
    static final Set<String> LICENSE_STATES = Set.of("UNKNOWN", "UNINITIALIZED", "UNLICENSED_UNRESTRICTED",
            "UNLICENSED_RESTRICTED", "UNLICENSED", "LICENSED", "NO_GUEST_DRIVER");

    private record SliceFacts(long id, Long hostId, Instant createdAt) {
    }

    private record Key(long sliceId, Instant sampledAt) {
    }

    private final JdbcClient jdbc;
    private final UsageSettings settings;

    UsageBatchCheck(JdbcClient jdbc, UsageSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /**
     * @return the batch's distinct samples, with times cut to the database's microseconds, ordered by slice and time
     *         (so that concurrent batches lock rows in one order)
     * @throws InvalidUsageException naming the first bad sample
     */
    List<UsageSampleReport> check(UUID batchId, long hostId, List<UsageSampleReport> reports, Instant now) {
        if (batchId == null) {
            throw new InvalidUsageException("batchId is required");
        }
        if (reports == null) {
            throw new InvalidUsageException("samples are required");
        }
        Instant latest = now.plus(settings.maxClockSkew());
        Instant oldest = now.minus(settings.rawRetention());
        List<UsageSampleReport> normalized = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            normalized.add(values(i, reports.get(i), latest, oldest));
        }
        slices(hostId, normalized);
        return distinct(normalized);
    }

    private UsageSampleReport values(int i, UsageSampleReport r, Instant latest, Instant oldest) {
        if (r == null) {
            throw new InvalidUsageException("samples[" + i + "] is missing");
        }
        if (r.sampledAt() == null) {
            throw new InvalidUsageException(at(i, r) + " has no sampledAt");
        }
        if (r.sampledAt().isAfter(latest)) {
            throw new InvalidUsageException(at(i, r) + " is dated more than " + minutes(settings.maxClockSkew())
                    + " in the future (server time " + latest.minus(settings.maxClockSkew()) + ")");
        }
        if (r.sampledAt().isBefore(oldest)) {
            throw new InvalidUsageException(at(i, r) + " is older than the " + settings.rawRetention().toDays()
                    + " days raw samples are kept");
        }
        if (r.gpuUtilizationPercent() < 0 || r.gpuUtilizationPercent() > 100) {
            throw new InvalidUsageException(at(i, r) + ": gpuUtilizationPercent must be between 0 and 100, was "
                    + r.gpuUtilizationPercent());
        }
        if (r.memoryUsedMib() < 0) {
            throw new InvalidUsageException(at(i, r) + ": memoryUsedMib must not be negative, was " + r.memoryUsedMib());
        }
        if (r.licenseState() != null && !LICENSE_STATES.contains(r.licenseState())) {
            throw new InvalidUsageException(at(i, r) + ": licenseState must be one of " + LICENSE_STATES.stream().sorted().toList()
                    + " or absent, was '" + r.licenseState() + "'");
        }
        return new UsageSampleReport(r.sliceId(), r.sampledAt().truncatedTo(ChronoUnit.MICROS), r.gpuUtilizationPercent(),
                r.memoryUsedMib(), r.licenseState());
    }

    private void slices(long hostId, List<UsageSampleReport> reports) {
        long[] ids = reports.stream().mapToLong(UsageSampleReport::sliceId).distinct().toArray();
        Map<Long, SliceFacts> facts = new HashMap<>();
        jdbc.sql("""
                select s.id, g.host_id, s.created_at from slice s left join gpu g on g.id = s.gpu_id where s.id = any(?)
                """).param(ids)
                .query((rs, n) -> new SliceFacts(rs.getLong(1), (Long) rs.getObject(2, Long.class),
                        instant(rs, 3)))
                .list().forEach(f -> facts.put(f.id(), f));
        for (int i = 0; i < reports.size(); i++) {
            UsageSampleReport r = reports.get(i);
            SliceFacts slice = facts.get(r.sliceId());
            if (slice == null) {
                throw new InvalidUsageException(at(i, r) + ": there is no slice " + r.sliceId());
            }
            if (!Objects.equals(slice.hostId(), hostId)) {
                throw new InvalidUsageException(at(i, r) + ": slice " + r.sliceId() + " is not on host " + hostId);
            }
            if (r.sampledAt().isBefore(slice.createdAt().minus(settings.maxClockSkew()))) {
                throw new InvalidUsageException(at(i, r) + " is dated before its slice existed (requested "
                        + slice.createdAt() + ")");
            }
        }
    }

    /** The same sample twice is a harmless repeat; two different readings of one instant are a broken batch. */
    private static List<UsageSampleReport> distinct(List<UsageSampleReport> reports) {
        Map<Key, Integer> first = new HashMap<>();
        Set<UsageSampleReport> kept = new LinkedHashSet<>();
        for (int i = 0; i < reports.size(); i++) {
            UsageSampleReport r = reports.get(i);
            Integer earlier = first.putIfAbsent(new Key(r.sliceId(), r.sampledAt()), i);
            if (earlier != null && !reports.get(earlier).equals(r)) {
                throw new InvalidUsageException(at(i, r) + " contradicts samples[" + earlier
                        + "]: the same slice and instant with different values");
            }
            kept.add(r);
        }
        return kept.stream()
                .sorted(Comparator.comparingLong(UsageSampleReport::sliceId).thenComparing(UsageSampleReport::sampledAt))
                .toList();
    }

    private static String at(int i, UsageSampleReport r) {
        return "samples[" + i + "] (slice " + r.sliceId() + " at " + r.sampledAt() + ")";
    }

    private static String minutes(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " minutes" : d.toSeconds() + " seconds";
    }
}
