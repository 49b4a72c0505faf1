package io.vgpuhub.web.lifecycle;

import java.time.Clock;

import io.vgpuhub.metering.licensing.LicensingSettings;
import io.vgpuhub.web.inventory.HostLiveness;
import io.vgpuhub.web.licensing.LeaseExpiry;
import io.vgpuhub.web.slice.ProvisioningTimeouts;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The server's own clockwork, every {@code vgpuhub.lifecycle.check-interval}: slices stuck before READY go FAILED,
 * hosts whose agents went silent go OFFLINE, and the seat leases of silent hosts expire. All are idempotent and take
 * the time as an argument, so several server replicas may run them and tests drive them directly with a clock of
 * their choosing. The first lease check waits one lease grace after start-up: while no server ran, no agent could
 * report, and the hosts need that long to renew before their silence means anything.
 */
@Configuration(proxyBeanMethods = false)
class LifecycleScheduling implements SchedulingConfigurer {

    private final LifecycleSettings settings;
    private final ProvisioningTimeouts timeouts;
    private final HostLiveness liveness;
    private final LeaseExpiry expiry;
    private final LicensingSettings licensing;
    private final Clock clock;

    LifecycleScheduling(LifecycleSettings settings, ProvisioningTimeouts timeouts, HostLiveness liveness,
            LeaseExpiry expiry, LicensingSettings licensing, Clock clock) {
        this.settings = settings;
        this.timeouts = timeouts;
        this.liveness = liveness;
        this.expiry = expiry;
        this.licensing = licensing;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(() -> timeouts.failStuckSlices(clock.instant()), settings.checkInterval());
        tasks.addFixedDelayTask(() -> liveness.markSilentHostsOffline(clock.instant()), settings.checkInterval());
        tasks.addFixedDelayTask(new FixedDelayTask(() -> expiry.expireStale(clock.instant()), settings.checkInterval(),
                licensing.leaseGrace()));
    }
}
