package io.vgpuhub.web.slice;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.common.BaseDataSource;
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
    /**
     * A read that waits longer than this fails: the probe's answer, above all. Without it the probe on a connection
     * that vanished silently waits for TCP to give up, which takes many minutes, while this replica's polls go unwoken.
     */
    private static final Duration SOCKET_TIMEOUT = PROBE_EVERY.plusSeconds(5);

    private final DataSource dataSource;
    private final DesiredStateWatch watch;
    private volatile boolean running;
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
            pause(RECONNECT_AFTER);
        }
    }

    private void listen(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        PGConnection postgres = connection.unwrap(PGConnection.class);
        try (Statement statement = connection.createStatement()) {
            statement.execute("listen " + DesiredStateWatch.CHANNEL);
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
     * count as a connection never given back and would take one from the requests' share. It is made as the pool makes
     * its connections (URL, user, data-source properties such as sslmode or ApplicationName), plus a socket timeout and
     * TCP keep-alive so that a connection dropped without a word is noticed.
     */
    private Connection ownConnection() throws SQLException {
        if (!dataSource.isWrapperFor(HikariDataSource.class)) {
            return dataSource.getConnection();
        }
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        if (pool.getJdbcUrl() == null) {
            return unpooled(pool);
        }
        Properties properties = new Properties();
        pool.getDataSourceProperties().forEach((name, value) -> properties.setProperty(name.toString(), value.toString()));
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(pool.getJdbcUrl(), properties);
    }

    /**
     * The pool was given a data source class (or a data source) rather than a URL: a connection straight from that
     * data source, with the settings it was given. Only when that is no PostgreSQL data source does the listener borrow
     * one of the pool's connections for good.
     */
    private static Connection unpooled(HikariDataSource pool) throws SQLException {
        if (!pool.isWrapperFor(BaseDataSource.class)) {
            log.warn("listening for desired-state changes on a pooled connection: the pool has no PostgreSQL data source");
            return pool.getConnection();
        }
        BaseDataSource postgres = pool.unwrap(BaseDataSource.class);
        return pool.getUsername() == null ? postgres.getConnection()
                : postgres.getConnection(pool.getUsername(), pool.getPassword());
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
