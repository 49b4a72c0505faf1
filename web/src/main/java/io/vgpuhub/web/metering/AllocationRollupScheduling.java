package io.vgpuhub.web.metering;

import java.time.Clock;

import io.vgpuhub.metering.usage.allocation.AllocationRollup;
import io.vgpuhub.metering.usage.allocation.AllocationSettings;
import io.vgpuhub.web.replicas.JobLocks;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Keeps allocated seconds in the hourly usage rows current: every {@code vgpuhub.metering.allocation.interval}, the
 * rollup covers the time since its last run. Idempotent and serialised in the database; its named lock makes it run
 * once per interval however many server replicas fire it.
 */
@Configuration(proxyBeanMethods = false)
class AllocationRollupScheduling implements SchedulingConfigurer {

    /** The job's lock name (table shedlock). */
    static final String ALLOCATION_ROLLUP = "allocation-rollup";

    private final AllocationSettings settings;
    private final AllocationRollup rollup;
    private final JobLocks locks;
    private final Clock clock;

    AllocationRollupScheduling(AllocationSettings settings, AllocationRollup rollup, JobLocks locks, Clock clock) {
        this.settings = settings;
        this.rollup = rollup;
        this.locks = locks;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // First run one interval after start-up rather than during it; the watermark makes it catch up on the downtime.
        tasks.addFixedDelayTask(locks.fixedDelay(ALLOCATION_ROLLUP, settings.interval(), settings.interval(),
                () -> rollup.run(clock.instant())));
    }
}
