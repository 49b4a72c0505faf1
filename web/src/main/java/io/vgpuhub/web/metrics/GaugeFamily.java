package io.vgpuhub.web.metrics;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * One gauge name with a changing set of label values (offerings come and go). A scrape reads the values last
 * published; a publish swaps them in at once and registers only new label sets, so a series never vanishes for a
 * moment between two publishes that both have it.
 */
final class GaugeFamily {

    private final MultiGauge gauge;
    private volatile Map<Tags, Double> values = Map.of();

    GaugeFamily(MeterRegistry registry, String name, String description) {
        this.gauge = MultiGauge.builder(name).description(description).register(registry);
    }

    /** The series from now on: one per key, series not among them end. */
    synchronized void publish(Map<Tags, ? extends Number> next) {
        Map<Tags, Double> copy = new HashMap<>();
        next.forEach((tags, value) -> copy.put(tags, value.doubleValue()));
        values = Map.copyOf(copy);
        gauge.register(copy.keySet().stream()
                .map(tags -> MultiGauge.Row.of(tags, this, family -> family.value(tags)))
                .toList(), false);
    }

    private double value(Tags tags) {
        return values.getOrDefault(tags, Double.NaN);
    }
}
