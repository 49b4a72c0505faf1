package io.vgpuhub.web.metrics;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Refreshes the database-backed gauges every {@code vgpuhub.metrics.refresh-interval}, starting at once. Every
 * replica runs it for its own gauges (each is scraped on its own), so it must never be made a run-once-across-replicas
 * job; it only reads.
 */
@Configuration(proxyBeanMethods = false)
class MetricsScheduling implements SchedulingConfigurer {

    private final ClusterGauges gauges;
    private final MetricsSettings settings;

    MetricsScheduling(ClusterGauges gauges, MetricsSettings settings) {
        this.gauges = gauges;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(gauges::refresh, settings.refreshInterval());
    }
}
