package io.vgpuhub.web.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vgpuhub.metering.usage.UsageBatchStored;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Usage ingest as this replica sees it: samples stored (a counter, so {@code rate()} gives samples per second) and
 * the lag, now minus the newest {@code sampled_at} this replica has stored. The lag grows while no agent uploads
 * anything newer, which is the point: it catches a stalled ingest. It is NaN until this replica has stored a batch,
 * and each replica only sees the batches sent to it, so the cluster's lag is the smallest of the replicas'.
 */
@Component
class UsageIngestMetrics {

    private final Counter samples;
    private final AtomicReference<Instant> newest = new AtomicReference<>();
    private final Clock clock;

    UsageIngestMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.samples = Counter.builder("vgpuhub.usage.samples.ingested")
                .description("Usage samples stored from agents' batches (repeats of a batch or a sample not counted)")
                .register(registry);
        Gauge.builder("vgpuhub.usage.ingest.lag", this, UsageIngestMetrics::lagSeconds)
                .description("Seconds from the newest usage sample this replica stored to now; NaN before the first")
                .baseUnit("seconds")
                .register(registry);
    }

    /** After the commit when a caller's transaction is open; at once otherwise (the write is one committed statement). */
    @TransactionalEventListener(fallbackExecution = true)
    void stored(UsageBatchStored batch) {
        samples.increment(batch.stored());
        newest.accumulateAndGet(batch.newestSampledAt(),
                (current, next) -> current == null || next.isAfter(current) ? next : current);
    }

    private double lagSeconds() {
        Instant last = newest.get();
        return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
    }
}
