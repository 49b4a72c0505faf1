package io.vgpuhub.metering.usage;

import static io.vgpuhub.metering.SqlTime.utc;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The periodic upkeep of raw usage samples: month partitions made ahead of the samples that will need them, and months
 * past the retention period dropped whole (a DROP TABLE, not a slow DELETE). Both take the time as an argument and are
 * idempotent, so several server replicas may run them and tests drive them with a time of their choosing.
 */
@Service
public class UsageMaintenance {

    private static final Logger log = LoggerFactory.getLogger(UsageMaintenance.class);

    private final UsagePartitions partitions;
    private final UsageSettings settings;
    private final JdbcClient jdbc;

    UsageMaintenance(UsagePartitions partitions, UsageSettings settings, JdbcClient jdbc) {
        this.partitions = partitions;
        this.settings = settings;
        this.jdbc = jdbc;
    }

    /** Makes sure the partitions of now's month and of the next {@code partitions-ahead} months exist. */
    public void createPartitionsAhead(Instant now) {
        YearMonth current = UsagePartitions.monthOf(now);
        partitions.ensure(IntStream.rangeClosed(0, settings.partitionsAhead()).mapToObj(current::plusMonths).toList());
    }

    /**
     * Drops the month partitions that lie wholly before now minus the raw retention, and forgets batch ids received
     * before then. Hourly rollups are kept.
     *
     * @return the months dropped
     */
    @Transactional
    public List<YearMonth> applyRetention(Instant now) {
        Instant cutoff = now.minus(settings.rawRetention());
        List<YearMonth> expired = partitions.existing().stream()
                .filter(month -> !UsagePartitions.start(month.plusMonths(1)).isAfter(cutoff))
                .toList();
        expired.forEach(partitions::drop);
        int batches = jdbc.sql("delete from usage_batch where received_at < ?")
                .param(utc(cutoff)).update();
        if (!expired.isEmpty() || batches > 0) {
            log.info("Usage retention ({} days): dropped raw samples of {}, forgot {} batch ids received before {}",
                    settings.rawRetention().toDays(), expired, batches, cutoff);
        }
        return expired;
    }
}
