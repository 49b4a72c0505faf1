package io.vgpuhub.web.licensing;

import java.time.Clock;

import io.vgpuhub.web.lifecycle.LifecycleSettings;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Expires the seat leases of silent hosts every {@code vgpuhub.lifecycle.check-interval}, the interval of the
 * server's other checks. Idempotent and given the time, so several replicas may run it and tests drive it directly.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LicensingScheduling implements SchedulingConfigurer {

    private final LifecycleSettings lifecycle;
    private final LeaseExpiry expiry;
    private final Clock clock = Clock.systemUTC();

    LicensingScheduling(LifecycleSettings lifecycle, LeaseExpiry expiry) {
        this.lifecycle = lifecycle;
        this.expiry = expiry;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(() -> expiry.expireStale(clock.instant()), lifecycle.checkInterval());
    }
}
