package io.vgpuhub.web.slice;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Wakes agents' long-polls as soon as their host's desired state is committed, on every server replica: the change
 * is announced with PostgreSQL's NOTIFY in its own transaction (delivered when, and only if, it commits), and each
 * replica's {@link DesiredStateNotifications} listener wakes its waiting polls. The replica that made the change also
 * wakes its own at once, without the round trip. Callers re-read the generation from the database after each wait, so
 * a lost notification costs a short delay, never a missed change.
 * <p>
 * When the server shuts down, the watch stops first (the highest lifecycle phase, before the web server's graceful
 * shutdown): every waiting poll answers at once with the state as it is, so a rolling upgrade does not wait out the
 * agents' long-polls, and no poll is left asking a database that is going away.
 */
@Component
class DesiredStateWatch implements SmartLifecycle {

    /** The NOTIFY channel; the payload is the host's id. */
    static final String CHANNEL = "vgpuhub_desired_state";

    private final ConcurrentMap<Long, Object> monitors = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private volatile boolean stopping;

    DesiredStateWatch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Still inside the transaction that changed the desired state: the other replicas hear of it when it commits. */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void announce(DesiredStateChanged change) {
        jdbc.sql("select pg_notify(:channel, :host)").param("channel", CHANNEL)
                .param("host", Long.toString(change.hostId())).query().singleRow();
    }

    @TransactionalEventListener
    void onChange(DesiredStateChanged change) {
        wake(change.hostId());
    }

    /** Wakes this replica's long-polls of the host. */
    void wake(long hostId) {
        Object monitor = monitor(hostId);
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /**
     * @return false once the server is shutting down: the caller answers now instead of waiting on. (Polls that come
     *         while the server is still starting wait as usual: only a stop ends them early.)
     */
    boolean await(long hostId, Duration atMost) throws InterruptedException {
        Object monitor = monitor(hostId);
        synchronized (monitor) {
            if (!stopping) {
                monitor.wait(Math.max(1, atMost.toMillis()));
            }
        }
        return !stopping;
    }

    @Override
    public void start() {
        stopping = false;
    }

    @Override
    public void stop() {
        stopping = true;
        monitors.keySet().forEach(this::wake);
    }

    @Override
    public boolean isRunning() {
        return !stopping;
    }

    private Object monitor(long hostId) {
        return monitors.computeIfAbsent(hostId, id -> new Object());
    }
}
