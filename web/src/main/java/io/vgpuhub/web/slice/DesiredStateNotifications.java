package io.vgpuhub.web.slice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This replica's ear for desired-state changes made on any replica: one thread holding one connection that LISTENs on
 * {@link DesiredStateWatch#CHANNEL} and wakes the long-polls of the host each notification names. When the connection
 * breaks it reconnects after a pause; meanwhile polls still see changes by re-reading the database every second.
 */
@Component
class DesiredStateNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DesiredStateNotifications.class);
    private static final int POLL_MILLIS = 500;
    /** A connection dropped without a word (a firewall, a failover) is only noticed by using it. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(10);
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final DesiredStateWatch watch;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    DesiredStateNotifications(DataSource dataSource, DesiredStateWatch watch) {
        this.dataSource = dataSource;
        this.watch = watch;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::listenUntilStopped, "desired-state-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(POLL_MILLIS * 4L);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** True while the LISTEN is in place (tests wait for it before they count on other replicas being heard). */
    boolean listening() {
        return listening;
    }

    private void listenUntilStopped() {
        while (running) {
            try (Connection connection = ownConnection()) {
                listen(connection);
            }
            catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("listening for desired-state changes of other server replicas failed; retrying in {}: {}",
                            RECONNECT_AFTER, e.getMessage());
                }
            }
            finally {
                listening = false;
            }
            pause(RECONNECT_AFTER);
        }
    }

    private void listen(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        PGConnection postgres = connection.unwrap(PGConnection.class);
        try (Statement statement = connection.createStatement()) {
            statement.execute("listen " + DesiredStateWatch.CHANNEL);
            listening = true;
            long probeAt = System.nanoTime() + PROBE_EVERY.toNanos();
            while (running) {
                PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        wake(notification.getParameter());
                    }
                }
                if (System.nanoTime() - probeAt > 0) {
                    statement.execute("select 1");
                    probeAt = System.nanoTime() + PROBE_EVERY.toNanos();
                }
            }
            statement.execute("unlisten *");
        }
    }

    /**
     * A connection of its own, outside the pool: the LISTEN keeps it for the server's whole life, which in the pool would
     * count as a connection never given back and would take one from the requests' share.
     */
    private Connection ownConnection() throws SQLException {
        if (!dataSource.isWrapperFor(HikariDataSource.class)) {
            return dataSource.getConnection();
        }
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        return DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
    }

    private void wake(String payload) {
        try {
            watch.wake(Long.parseLong(payload));
        }
        catch (NumberFormatException e) {
            log.warn("ignoring a desired-state notification that names no host: {}", payload);
        }
    }

    private void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(Math.min(100, duration.toMillis()));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
