package io.vgpuhub.web.lifecycle;

import java.time.Clock;
import java.time.Duration;

import io.vgpuhub.metering.licensing.LicensingSettings;
import io.vgpuhub.web.inventory.HostLiveness;
import io.vgpuhub.web.licensing.LeaseExpiry;
import io.vgpuhub.web.replicas.JobLocks;
import io.vgpuhub.web.slice.ProvisioningTimeouts;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * The server's own clockwork, every {@code vgpuhub.lifecycle.check-interval}: slices stuck before READY go FAILED,
 * hosts whose agents went silent go OFFLINE, and the seat leases of silent hosts expire. All are idempotent and take
 * the time as an argument, so tests drive them directly with a clock of their choosing; each takes its named lock, so
 * it runs once per interval however many server replicas fire it. The first lease check waits one lease grace after
 * start-up: while no server ran, no agent could report, and the hosts need that long to renew before their silence
 * means anything.
 */
@Configuration(proxyBeanMethods = false)
class LifecycleScheduling implements SchedulingConfigurer {

    /** The jobs' lock names (table shedlock). */
    static final String PROVISIONING_TIMEOUTS = "provisioning-timeouts";
    static final String SILENT_HOSTS = "silent-hosts";
    static final String LEASE_EXPIRY = "lease-expiry";

    private final LifecycleSettings settings;
    private final ProvisioningTimeouts timeouts;
    private final HostLiveness liveness;
    private final LeaseExpiry expiry;
    private final LicensingSettings licensing;
    private final JobLocks locks;
    private final Clock clock;

    LifecycleScheduling(LifecycleSettings settings, ProvisioningTimeouts timeouts, HostLiveness liveness,
            LeaseExpiry expiry, LicensingSettings licensing, JobLocks locks, Clock clock) {
        this.settings = settings;
        this.timeouts = timeouts;
        this.liveness = liveness;
        this.expiry = expiry;
        this.licensing = licensing;
        this.locks = locks;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        Duration every = settings.checkInterval();
        tasks.addFixedDelayTask(locks.fixedDelay(PROVISIONING_TIMEOUTS, every, Duration.ZERO,
                () -> timeouts.failStuckSlices(clock.instant())));
        tasks.addFixedDelayTask(locks.fixedDelay(SILENT_HOSTS, every, Duration.ZERO,
                () -> liveness.markSilentHostsOffline(clock.instant())));
        tasks.addFixedDelayTask(locks.fixedDelay(LEASE_EXPIRY, every, licensing.leaseGrace(),
                () -> expiry.expireStale(clock.instant())));
    }
}
