package io.vgpuhub.web.metering;

import java.time.Clock;

import io.vgpuhub.metering.usage.UsageMaintenance;
import io.vgpuhub.metering.usage.UsageSettings;
import io.vgpuhub.web.replicas.JobLocks;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Usage upkeep: month partitions of raw samples made ahead (at startup, so a server that was down over a month's turn
 * has its partition before the first batch, and daily), and raw samples past their retention dropped daily. Both jobs
 * are idempotent; their named locks make the daily one run once per firing however many server replicas fire it, and
 * spare a replica starting up the partition work another is doing that moment.
 */
@Configuration(proxyBeanMethods = false)
class UsageMaintenanceScheduling implements SchedulingConfigurer {

    /** The jobs' lock names (table shedlock). */
    static final String USAGE_MAINTENANCE = "usage-maintenance";
    static final String USAGE_PARTITIONS_AT_STARTUP = "usage-partitions-at-startup";

    private final UsageMaintenance maintenance;
    private final UsageSettings settings;
    private final JobLocks locks;
    private final Clock clock;

    UsageMaintenanceScheduling(UsageMaintenance maintenance, UsageSettings settings, JobLocks locks, Clock clock) {
        this.maintenance = maintenance;
        this.settings = settings;
        this.locks = locks;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        locks.unlessRunningElsewhere(USAGE_PARTITIONS_AT_STARTUP, () -> maintenance.createPartitionsAhead(clock.instant()));
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addTriggerTask(locks.onCron(USAGE_MAINTENANCE, settings.maintenanceCron(), this::daily));
    }

    private void daily() {
        maintenance.createPartitionsAhead(clock.instant());
        maintenance.applyRetention(clock.instant());
    }
}
