package io.vgpuhub.web.slice;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.web.security.PortalUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A slice's life after its request: the host's desired state, the transitions its agent reports, and release. Every transition is written as a slice event in the same transaction.
 */
@Service
public class SliceLifecycle {

    private final Slices slices;
    private final TransactionTemplate transactions;
    private final HostGenerations generations;
    private final DesiredStateWatch watch;

    SliceLifecycle(Slices slices, TransactionTemplate transactions, HostGenerations generations, DesiredStateWatch watch) {
        this.slices = slices;
        this.transactions = transactions;
        this.generations = generations;
        this.watch = watch;
    }

    public List<SliceView> slicesOf(PortalUser user) {
        return slicesOf(Requester.of(user).tenantId());
    }

    public List<SliceView> slicesOf(long tenantId) {
        return slices.forTenant(tenantId);
    }

    /** @throws SliceNotFoundException when the tenant has no such slice */
    public SliceView sliceOf(long tenantId, UUID sliceId) {
        return slices.forTenant(tenantId, sliceId).orElseThrow(() -> new SliceNotFoundException(sliceId));
    }

    public void release(PortalUser user, UUID sliceId) {
        release(Requester.of(user), sliceId);
    }

    /** Asks the host to remove the slice's device; a slice the agent never picked up is released at once. */
    public void release(Requester requester, UUID sliceId) {
        transactions.executeWithoutResult(tx -> {
            Slices.HostSlice slice = slices.lockForTenant(requester.tenantId(), sliceId)
                    .orElseThrow(() -> new SliceNotFoundException(sliceId));
            String actor = requester.actor();
            switch (slice.state()) {
                case PLACED, REQUESTED, FAILED -> transition(slice, SliceState.RELEASED, actor, "released before a device existed", null);
                case PROVISIONING, READY -> {
                    transition(slice, SliceState.RELEASING, actor, "released by the tenant", null);
                    slices.hostOf(slice.id()).ifPresent(generations::bump);
                }
                case RELEASING, RELEASED -> {
                    // Already on its way out: releasing twice is not an error.
                }
            }
        });
    }

    /**
     * The devices this host should have, once the generation is newer than {@code after} or the wait is over.
     * Slices the agent now learns about move from PLACED to PROVISIONING.
     */
    public HostDesiredState desiredState(long hostId, String hostName, long after, Duration wait)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (generations.current(hostId) <= after) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            watch.await(hostId, left.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : left);
        }
        return transactions.execute(tx -> {
            long generation = generations.current(hostId);
            List<DesiredDevice> devices = slices.desiredOnHost(hostId);
            for (DesiredDevice device : devices) {
                if (device.state() == SliceState.PLACED) {
                    transition(new Slices.HostSlice(device.id(), device.state()), SliceState.PROVISIONING,
                            "agent:" + hostName, "sent to the agent in generation " + generation, null);
                }
            }
            return new HostDesiredState(generation, devices);
        });
    }

    /** Applies what the agent saw; stale or repeated reports change nothing. */
    public void observe(long hostId, String hostName, UUID sliceId, ObservedState observed, String reason) {
        transactions.executeWithoutResult(tx -> {
            Slices.HostSlice slice = slices.lockOnHost(hostId, sliceId)
                    .orElseThrow(() -> new SliceNotFoundException(sliceId));
            String actor = "agent:" + hostName;
            SliceState state = slice.state();
            switch (observed) {
                case READY -> {
                    if (state == SliceState.PLACED || state == SliceState.PROVISIONING) {
                        transition(slice, SliceState.READY, actor, "device created", null);
                    }
                }
                case FAILED -> {
                    if (state == SliceState.PLACED || state == SliceState.PROVISIONING || state == SliceState.READY) {
                        String why = reason == null || reason.isBlank() ? "the agent gave no reason" : reason;
                        transition(slice, SliceState.FAILED, actor, why, why);
                    }
                }
                case ABSENT -> {
                    if (state == SliceState.RELEASING) {
                        transition(slice, SliceState.RELEASED, actor, "device removed", null);
                    }
                }
            }
        });
    }

    private void transition(Slices.HostSlice slice, SliceState to, String actor, String reason, String failureReason) {
        slices.changeState(slice.id(), to, failureReason);
        slices.recordEvent(slice.id(), slice.state(), to, actor, reason);
    }
}
