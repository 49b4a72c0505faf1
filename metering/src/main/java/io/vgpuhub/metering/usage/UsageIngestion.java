package io.vgpuhub.metering.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Stores the usage batches host agents upload: checked as a whole, then written as a whole in one statement, once per
 * batch id however often and however concurrently it is sent. The hourly rollup moves with the samples. A batch that
 * stored new samples is announced as {@link UsageBatchStored} once its statement has committed.
 */
@Service
public class UsageIngestion {

    private final UsageBatchCheck check;
    private final UsagePartitions partitions;
    private final UsageWriter writer;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    UsageIngestion(UsageBatchCheck check, UsagePartitions partitions, UsageWriter writer, Clock clock,
            ApplicationEventPublisher events) {
        this.check = check;
        this.partitions = partitions;
        this.writer = writer;
        this.clock = clock;
        this.events = events;
    }

    /**
     * @param hostId the host whose agent sent the batch; every sample must be of a slice on that host
     * @throws InvalidUsageException nothing of the batch was stored, and the message says why
     */
    public UsageReceipt ingest(UUID batchId, long hostId, List<UsageSampleReport> reports) {
        List<UsageSampleReport> samples = check.check(batchId, hostId, reports, clock.instant());
        partitions.ensure(samples.stream().map(s -> UsagePartitions.monthOf(s.sampledAt())).distinct().toList());
        UsageReceipt receipt = writer.write(batchId, hostId, reports.size(), samples);
        // The write is one statement, committed when it returns (or, in a caller's transaction, announced to
        // transactional listeners at its commit).
        if (receipt.stored() > 0) {
            Instant newest = samples.stream().map(UsageSampleReport::sampledAt).max(Comparator.naturalOrder()).orElseThrow();
            events.publishEvent(new UsageBatchStored(batchId, hostId, receipt.stored(), newest));
        }
        return receipt;
    }
}
