package io.vgpuhub.web.slice;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.vgpuhub.metering.licensing.ReleaseReason;
import io.vgpuhub.metering.licensing.SeatLeases;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A slice's life after its request: the host's desired state, the transitions its agent reports, release, and the
 * timeout of slices their host never made. Every transition is written as a slice event in the same transaction.
 * A slice gives its license seat back in the transaction that releases or fails it.
 */
@Service
public class SliceLifecycle {

    private final Slices slices;
    private final TransactionTemplate transactions;
    private final HostGenerations generations;
    private final DesiredStateWatch watch;
    private final SeatLeases seats;

    SliceLifecycle(Slices slices, TransactionTemplate transactions, HostGenerations generations, DesiredStateWatch watch,
            SeatLeases seats) {
        this.seats = seats;
        this.slices = slices;
        this.transactions = transactions;
        this.generations = generations;
        this.watch = watch;
    }

    public List<SliceView> slicesOf(long tenantId) {
        return slices.forTenant(tenantId);
    }

    /** @throws SliceNotFoundException when the tenant has no such slice */
    public SliceView sliceOf(long tenantId, UUID sliceId) {
        return slices.forTenant(tenantId, sliceId).orElseThrow(() -> new SliceNotFoundException(sliceId));
    }

    /**
     * Asks the host to remove the slice's device. A slice its host was never sent is released at once; one the host
     * may hold something of (it reached PROVISIONING, even if it FAILED since) goes RELEASING until its agent reports
     * the device ABSENT.
     */
    public void release(Requester requester, UUID sliceId) {
        transactions.executeWithoutResult(tx -> {
            Slices.HostSlice slice = slices.lockForTenant(requester.tenantId(), sliceId)
                    .orElseThrow(() -> new SliceNotFoundException(sliceId));
            String actor = requester.actor();
            switch (slice.state()) {
                case REQUESTED, PLACED -> transition(slice, SliceState.RELEASED, actor, "released before its host was sent it", null);
                case FAILED -> {
                    if (!slices.wasSentToHost(slice.id())) {
                        transition(slice, SliceState.RELEASED, actor, "released; its host was never sent it", null);
                    }
                    else if (transition(slice, SliceState.RELEASING, actor,
                            "released by the tenant; the host removes whatever it made of the slice", null)) {
                        slices.hostOf(slice.id()).ifPresent(hostId ->
                                slices.setCleanupGeneration(slice.id(), generations.bump(hostId)));
                    }
                }
                case PROVISIONING, READY -> {
                    if (transition(slice, SliceState.RELEASING, actor, "released by the tenant", null)) {
                        slices.hostOf(slice.id()).ifPresent(generations::bump);
                    }
                }
                case RELEASING, RELEASED -> {
                    // Already on its way out: releasing twice is not an error.
                }
            }
        });
    }

    /**
     * The GPU modes and devices this host should have, once the generation is newer than {@code after} or the wait is
     * over. Slices the agent now learns about move from PLACED to PROVISIONING.
     *
     * <p>{@code after} is the generation the agent has reconciled: released FAILED slices it has since been told to
     * drop, and reported nothing about, hold nothing on the host any more and are RELEASED.
     */
    public HostDesiredState desiredState(long hostId, String hostName, long after, Duration wait)
            throws InterruptedException {
        String actor = "agent:" + hostName;
        transactions.executeWithoutResult(tx -> {
            if (after > generations.current(hostId)) {
                return;     // not a generation this server handed out (its database was replaced): nothing to infer
            }
            for (Slices.HostSlice slice : slices.lockCleanedUpOnHost(hostId, after)) {
                transition(slice, SliceState.RELEASED, actor,
                        "the agent reconciled generation " + after + " without the slice and holds no device of it", null);
            }
        });
        Instant deadline = Instant.now().plus(wait);
        while (generations.current(hostId) <= after) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            if (!watch.await(hostId, left.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : left)) {
                break;
            }
        }
        return transactions.execute(tx -> {
            long generation = generations.current(hostId);
            List<DesiredDevice> devices = new ArrayList<>();
            for (DesiredDevice device : slices.desiredOnHost(hostId)) {
                if (device.state() == SliceState.PLACED
                        && !transition(new Slices.HostSlice(device.id(), device.state()), SliceState.PROVISIONING,
                                actor, "sent to the agent in generation " + generation, null)) {
                    continue;   // released or failed since it was read: not the agent's to create any more
                }
                devices.add(device);
            }
            return new HostDesiredState(generation, slices.desiredGpusOnHost(hostId), devices);
        });
    }

    /**
     * Applies what the agent saw; stale or repeated reports change nothing.
     *
     * @param migDeviceUuid READY of a MIG slice: the MIG device the tenant attaches (it changes when the host recreates
     *                      the instance, after a reboot)
     */
    public void observe(long hostId, String hostName, UUID sliceId, ObservedState observed, String migDeviceUuid,
            String reason) {
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
                    if (state.isRunning() && migDeviceUuid != null) {
                        slices.setMigDeviceUuid(slice.id(), migDeviceUuid);
                    }
                }
                case FAILED -> {
                    if (state.isRunning()) {
                        String why = reason == null || reason.isBlank() ? "the agent gave no reason" : reason;
                        if (transition(slice, SliceState.FAILED, actor, why, why)) {
                            // No longer desired: the agent removes whatever it made of the slice.
                            generations.bump(hostId);
                        }
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

    /** Fails every slice placed before {@code placedBefore} that is not READY yet; returns how many. */
    int failPlacedBefore(Instant placedBefore, String actor, String reason) {
        return transactions.execute(tx -> {
            List<Slices.StuckSlice> stuck = slices.lockStuckBefore(placedBefore);
            Set<Long> hosts = new HashSet<>();
            int failed = 0;
            for (Slices.StuckSlice slice : stuck) {
                if (transition(new Slices.HostSlice(slice.id(), slice.state()), SliceState.FAILED, actor, reason, reason)) {
                    hosts.add(slice.hostId());
                    failed++;
                }
            }
            // The slices left their hosts' desired state: an agent still working on one drops it.
            hosts.forEach(generations::bump);
            return failed;
        });
    }

    /** @return whether the slice moved; a slice that moved on concurrently stays where the other change put it */
    private boolean transition(Slices.HostSlice slice, SliceState to, String actor, String reason, String failureReason) {
        if (!slices.changeState(slice.id(), slice.state(), to, failureReason)) {
            return false;
        }
        slices.recordEvent(slice.id(), slice.state(), to, actor, reason);
        switch (to) {
            // The seat returns when the tenant lets the slice go, not when its host confirms the device is gone: the
            // tenant no longer uses it, and a host that is down must not keep the seat taken.
            case RELEASING, RELEASED -> seats.release(slice.id(), ReleaseReason.RELEASED);
            case FAILED -> seats.release(slice.id(), ReleaseReason.FAILED);
            default -> {
            }
        }
        return true;
    }
}
