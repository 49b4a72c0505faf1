package io.vgpuhub.metering.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores the usage batches host agents upload. A batch is validated as a whole and stored as a whole;
 * samples already stored (a batch sent again) are skipped.
 */
@Service
public class UsageIngestion {

    /** Agents' clocks drift; a sample further ahead than this is a bug on the host, not a measurement. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** NVML's guest license states (NVML_GRID_LICENSE_STATE_*) and the agent's word for "no guest driver yet". */
    static final Set<String> LICENSE_STATES = Set.of("UNKNOWN", "UNINITIALIZED", "UNLICENSED_UNRESTRICTED",
            "UNLICENSED_RESTRICTED", "UNLICENSED", "LICENSED", "NO_GUEST_DRIVER");

    private final UsageSampleRepository samples;
    private final Clock clock;

    UsageIngestion(UsageSampleRepository samples, Clock clock) {
        this.samples = samples;
        this.clock = clock;
    }

    /** @return how many samples were new */
    @Transactional
    public int ingest(UUID batchId, List<UsageSampleReport> reports) {
        if (batchId == null) {
            throw new InvalidUsageException("batchId is required");
        }
        Instant latestAllowed = clock.instant().plus(MAX_CLOCK_SKEW);
        for (UsageSampleReport report : reports) {
            validate(report, latestAllowed);
        }
        int stored = 0;
        for (UsageSampleReport report : reports) {
            stored += samples.insertIfAbsent(report.sliceId(), batchId, report.sampledAt(),
                    report.gpuUtilizationPercent(), report.memoryUsedMib(), report.licenseState());
        }
        return stored;
    }

    @Transactional(readOnly = true)
    public Map<Long, UsageSampleView> latestFor(Collection<Long> sliceIds) {
        if (sliceIds.isEmpty()) {
            return Map.of();
        }
        return samples.findLatestForSlices(sliceIds).stream()
                .map(UsageSample::view)
                .collect(Collectors.toMap(UsageSampleView::sliceId, Function.identity()));
    }

    @Transactional(readOnly = true)
    public long countFor(long sliceId) {
        return samples.countBySliceId(sliceId);
    }

    private static void validate(UsageSampleReport report, Instant latestAllowed) {
        if (report.sampledAt() == null) {
            throw new InvalidUsageException("sample of slice " + report.sliceId() + " has no sampledAt");
        }
        if (report.sampledAt().isAfter(latestAllowed)) {
            throw new InvalidUsageException("sample of slice " + report.sliceId() + " is dated " + report.sampledAt()
                    + ", more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future");
        }
        if (report.gpuUtilizationPercent() < 0 || report.gpuUtilizationPercent() > 100) {
            throw new InvalidUsageException("gpuUtilizationPercent must be between 0 and 100, was "
                    + report.gpuUtilizationPercent());
        }
        if (report.licenseState() != null && !LICENSE_STATES.contains(report.licenseState())) {
            throw new InvalidUsageException("licenseState must be one of " + LICENSE_STATES + ", was " + report.licenseState());
        }
        if (report.memoryUsedMib() < 0) {
            throw new InvalidUsageException("memoryUsedMib must not be negative, was " + report.memoryUsedMib());
        }
    }
}
