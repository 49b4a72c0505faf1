package io.vgpuhub.web.placement;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * How long placing one slice takes ({@code vgpuhub_placement_seconds}), lock waits on contended GPUs included, by
 * outcome: {@code placed} or {@code refused} (no GPU could take it). Buckets from 5 ms to 5 s, so that
 * histogram_quantile over {@code vgpuhub_placement_seconds_bucket} works. It lives here rather than with the other
 * metrics in {@code io.vgpuhub.web.metrics} because that package reads placement's free capacity: no cycle.
 */
@Component
class PlacementTimer {

    private static final Duration[] BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5) };

    private final MeterRegistry registry;
    private final Timer placed;
    private final Timer refused;

    PlacementTimer(MeterRegistry registry) {
        this.registry = registry;
        this.placed = timer(registry, "placed");
        this.refused = timer(registry, "refused");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder("vgpuhub.placement")
                .description("Time to choose and lock a place for one slice")
                .tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** Runs the placement and records its time; a placement that throws is not recorded. */
    <T> Optional<T> time(Supplier<Optional<T>> placement) {
        Timer.Sample sample = Timer.start(registry);
        Optional<T> result = placement.get();
        sample.stop(result.isPresent() ? placed : refused);
        return result;
    }
}
