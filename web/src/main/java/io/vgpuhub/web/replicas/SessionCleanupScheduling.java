package io.vgpuhub.web.replicas;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * Deletes expired portal sessions every {@code vgpuhub.sessions.cleanup-interval}, once across all replicas. Spring
 * Session's own cleanup is switched off ({@code spring.session.jdbc.cleanup-cron=-}) because it would run on every
 * replica at the same second, each deleting the same rows.
 */
@Configuration(proxyBeanMethods = false)
class SessionCleanupScheduling implements SchedulingConfigurer {

    /** The job's lock name (table shedlock). */
    static final String SESSION_CLEANUP = "session-cleanup";

    private final JdbcIndexedSessionRepository sessions;
    private final SessionCleanupSettings settings;
    private final JobLocks locks;

    SessionCleanupScheduling(JdbcIndexedSessionRepository sessions, SessionCleanupSettings settings, JobLocks locks) {
        this.sessions = sessions;
        this.settings = settings;
        this.locks = locks;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(locks.fixedDelay(SESSION_CLEANUP, settings.cleanupInterval(), Duration.ZERO,
                sessions::cleanUpExpiredSessions));
    }
}
