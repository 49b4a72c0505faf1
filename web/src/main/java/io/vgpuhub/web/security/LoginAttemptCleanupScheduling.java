package io.vgpuhub.web.security;

import java.time.Duration;

import io.vgpuhub.web.replicas.JobLocks;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes stale login_attempt rows every {@code vgpuhub.security.login.cleanup-interval}, once across all replicas
 * (each replica fires it; the job's lock lets one of them run it). The first run waits one interval after start-up.
 */
@Configuration(proxyBeanMethods = false)
class LoginAttemptCleanupScheduling implements SchedulingConfigurer {

    /** The job's lock name (table shedlock). */
    static final String LOGIN_ATTEMPT_CLEANUP = "login-attempt-cleanup";

    private final LoginThrottle throttle;
    private final LoginThrottleSettings settings;
    private final JobLocks locks;

    LoginAttemptCleanupScheduling(LoginThrottle throttle, LoginThrottleSettings settings, JobLocks locks) {
        this.throttle = throttle;
        this.settings = settings;
        this.locks = locks;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        Duration every = settings.cleanupInterval();
        tasks.addFixedDelayTask(locks.fixedDelay(LOGIN_ATTEMPT_CLEANUP, every, every, throttle::forgetStale));
    }
}
