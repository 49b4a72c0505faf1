package io.vgpuhub.web.slice;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Wakes agents' long-polls on this server as soon as their host's desired state is committed. Waits are short and
 * callers re-read the generation from the database, so a change made by another server replica is seen too.
 */
@Component
class DesiredStateWatch {

    private final ConcurrentMap<Long, Object> monitors = new ConcurrentHashMap<>();

    @TransactionalEventListener
    void onChange(DesiredStateChanged change) {
        Object monitor = monitor(change.hostId());
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    void await(long hostId, Duration atMost) throws InterruptedException {
        Object monitor = monitor(hostId);
        synchronized (monitor) {
            monitor.wait(Math.max(1, atMost.toMillis()));
        }
    }

    private Object monitor(long hostId) {
        return monitors.computeIfAbsent(hostId, id -> new Object());
    }
}
