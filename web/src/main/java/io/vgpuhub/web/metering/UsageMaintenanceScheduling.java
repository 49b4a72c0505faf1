package io.vgpuhub.web.metering;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.TimeZone;

import io.vgpuhub.metering.usage.UsageMaintenance;
import io.vgpuhub.metering.usage.UsageSettings;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronTrigger;

/**
 * Usage upkeep: month partitions of raw samples made ahead (at startup, so a server that was down over a month's turn
 * has its partition before the first batch, and daily), and raw samples past their retention dropped daily. Both jobs
 * are idempotent, so several server replicas may run them.
 */
@Configuration(proxyBeanMethods = false)
class UsageMaintenanceScheduling implements SchedulingConfigurer {

    private final UsageMaintenance maintenance;
    private final UsageSettings settings;
    private final Clock clock;

    UsageMaintenanceScheduling(UsageMaintenance maintenance, UsageSettings settings, Clock clock) {
        this.maintenance = maintenance;
        this.settings = settings;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        maintenance.createPartitionsAhead(clock.instant());
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addTriggerTask(this::daily, new CronTrigger(settings.maintenanceCron(), TimeZone.getTimeZone(ZoneOffset.UTC)));
    }

    private void daily() {
        maintenance.createPartitionsAhead(clock.instant());
        maintenance.applyRetention(clock.instant());
    }
}
