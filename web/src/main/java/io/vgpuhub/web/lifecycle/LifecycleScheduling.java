package io.vgpuhub.web.lifecycle;

import java.time.Clock;

import io.vgpuhub.web.inventory.HostLiveness;
import io.vgpuhub.web.slice.ProvisioningTimeouts;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The server's own clockwork: slices stuck before READY go FAILED, hosts whose agents went silent go OFFLINE. Both
 * are idempotent and take the time as an argument, so several server replicas may run them and tests drive them
 * directly with a clock of their choosing.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LifecycleScheduling implements SchedulingConfigurer {

    private final LifecycleSettings settings;
    private final ProvisioningTimeouts timeouts;
    private final HostLiveness liveness;
    private final Clock clock = Clock.systemUTC();

    LifecycleScheduling(LifecycleSettings settings, ProvisioningTimeouts timeouts, HostLiveness liveness) {
        this.settings = settings;
        this.timeouts = timeouts;
        this.liveness = liveness;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(() -> timeouts.failStuckSlices(clock.instant()), settings.checkInterval());
        tasks.addFixedDelayTask(() -> liveness.markSilentHostsOffline(clock.instant()), settings.checkInterval());
    }
}
