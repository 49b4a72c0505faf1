package io.vgpuhub.web.replicas;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.TimeZone;
import java.util.UUID;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.provider.sql.DatabaseProduct;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.TriggerTask;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * Runs the server's scheduled jobs once across all server replicas: a run takes the job's named lock (table
 * {@code shedlock}, database time) and keeps it for most of the job's interval, so however many replicas fire the job,
 * it runs once per interval; a replica that finds the lock held skips that round.
 */
@Component
public class JobLocks {

    /**
     * How long a run may hold its lock before another replica may take over; it only matters when a replica dies during
     * a run. The jobs are idempotent, so a run that overstays costs a second, concurrent run and nothing worse.
     */
    static final Duration LOCK_AT_MOST = Duration.ofMinutes(1);

    private final LockingTaskExecutor executor;

    JobLocks(DataSource dataSource) {
        this.executor = new DefaultLockingTaskExecutor(new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration
                .builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withDatabaseProduct(DatabaseProduct.POSTGRES_SQL)
                .usingDbTime()
                .withLockedByValue(replicaName())
                .build()));
    }

    /**
     * A job that fires every {@code interval} (the first time after {@code initialDelay}) on each replica but runs at
     * most once per 9/10 of the interval across them.
     */
    public FixedDelayTask fixedDelay(String name, Duration interval, Duration initialDelay, Runnable job) {
        return new FixedDelayTask(everyInterval(name, interval, job), interval, initialDelay);
    }

    /** A job that fires on {@code cron} (UTC) on each replica but runs once per firing across them. */
    public TriggerTask onCron(String name, String cron, Runnable job) {
        CronTrigger trigger = new CronTrigger(cron, TimeZone.getTimeZone(ZoneOffset.UTC));
        return new TriggerTask(everyInterval(name, shortestGap(CronExpression.parse(cron)), job), trigger);
    }

    private Runnable everyInterval(String name, Duration interval, Runnable job) {
        Duration atLeast = interval.multipliedBy(9).dividedBy(10);
        return () -> run(name, atLeast, job);
    }

    /** Runs the job now unless another replica is running it: for work at start-up, which must not wait for a lock. */
    public void unlessRunningElsewhere(String name, Runnable job) {
        run(name, Duration.ZERO, job);
    }

    private void run(String name, Duration atLeast, Runnable job) {
        Duration atMost = atLeast.compareTo(LOCK_AT_MOST) > 0 ? atLeast : LOCK_AT_MOST;
        executor.executeWithLock(job, new LockConfiguration(Instant.now(), name, atMost, atLeast));
    }

    /** The shortest time between two of the next firings: a cron such as "at 3 and 4 o'clock" must run at both. */
    static Duration shortestGap(CronExpression cron) {
        ZonedDateTime at = cron.next(ZonedDateTime.now(ZoneOffset.UTC));
        Duration shortest = null;
        for (int i = 0; i < 16 && at != null; i++) {
            ZonedDateTime next = cron.next(at);
            if (next == null) {
                break;
            }
            Duration gap = Duration.between(at, next);
            shortest = shortest == null || gap.compareTo(shortest) < 0 ? gap : shortest;
            at = next;
        }
        return shortest == null ? Duration.ofDays(1) : shortest;
    }

    /** This replica's name in the lock table's {@code locked_by}: host name and an id of this process's server. */
    private static String replicaName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
