package io.vgpuhub.web.licensing;

import java.time.Clock;

import io.vgpuhub.metering.licensing.LicensingSettings;
import io.vgpuhub.web.lifecycle.LifecycleSettings;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Expires the seat leases of silent hosts every {@code vgpuhub.lifecycle.check-interval}, the interval of the
 * server's other checks. Idempotent and given the time, so several replicas may run it and tests drive it directly.
 * The first check waits one lease grace after start-up: while no server ran, no agent could report, and the hosts need
 * that long to renew before their silence means anything.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LicensingScheduling implements SchedulingConfigurer {

    private final LifecycleSettings lifecycle;
    private final LeaseExpiry expiry;
    private final LicensingSettings licensing;
    private final Clock clock = Clock.systemUTC();

    LicensingScheduling(LifecycleSettings lifecycle, LeaseExpiry expiry, LicensingSettings licensing) {
        this.lifecycle = lifecycle;
        this.expiry = expiry;
        this.licensing = licensing;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(() -> expiry.expireStale(clock.instant()), lifecycle.checkInterval(),
                licensing.leaseGrace()));
    }
}
