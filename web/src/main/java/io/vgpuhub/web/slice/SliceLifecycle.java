package io.vgpuhub.web.slice;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.web.catalog.Catalog;
import io.vgpuhub.web.catalog.Offering;
import io.vgpuhub.web.placement.VgpuPlacement;
import io.vgpuhub.web.placement.VgpuPlacement.Placement;
import io.vgpuhub.web.security.PortalUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A slice's life from the tenant's request to its release: placement, the host's desired state, and the
 * transitions its agent reports. Every transition is written as a slice event in the same transaction.
 */
@Service
public class SliceLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SliceLifecycle.class);
    private static final int PLACEMENT_ATTEMPTS = 5;

    private final Catalog catalog;
    private final VgpuPlacement placement;
    private final Slices slices;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final DesiredStateWatch watch;

    SliceLifecycle(Catalog catalog, VgpuPlacement placement, Slices slices, JdbcClient jdbc,
            TransactionTemplate transactions, ApplicationEventPublisher events, DesiredStateWatch watch) {
        this.catalog = catalog;
        this.placement = placement;
        this.slices = slices;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.watch = watch;
    }

    /**
     * Places and records a new slice for the user's tenant.
     *
     * @throws NoCapacityException when no GPU can take it; nothing is written then
     */
    public SliceView request(PortalUser user, long offeringId, String vmName) {
        long tenantId = tenantOf(user);
        Offering offering = catalog.enabledOffering(offeringId)
                .orElseThrow(() -> new IllegalArgumentException("Offering " + offeringId + " does not exist or is not offered"));
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(tx -> placeAndInsert(user, tenantId, offering, vmName));
            }
            catch (DataIntegrityViolationException raced) {
                // Another request took the same VF between our check and insert; the schema refused the double booking.
                if (attempt == PLACEMENT_ATTEMPTS) {
                    throw new NoCapacityException(offering.code());
                }
                log.debug("Placement of {} raced with another request (attempt {}), retrying", offering.code(), attempt);
            }
        }
    }

    private SliceView placeAndInsert(PortalUser user, long tenantId, Offering offering, String vmName) {
        Placement where = placement.place(offering)
                .orElseThrow(() -> new NoCapacityException(offering.code()));
        UUID uuid = UUID.randomUUID();
        long sliceId = slices.insertPlaced(uuid, tenantId, user.userId(), offering.id(), offering.kind().name(), vmName,
                where.gpuId(), where.vfId());
        String actor = "user:" + user.getUsername();
        slices.recordEvent(sliceId, null, SliceState.REQUESTED, actor, "requested " + offering.code() + " for VM " + vmName);
        slices.recordEvent(sliceId, SliceState.REQUESTED, SliceState.PLACED, "placement",
                "GPU " + where.gpuId() + ", VF " + where.vfId());
        bumpGeneration(where.hostId());
        return slices.forTenant(tenantId, uuid).orElseThrow();
    }

    public List<SliceView> slicesOf(PortalUser user) {
        return slices.forTenant(tenantOf(user));
    }

    /** Asks the host to remove the slice's device; a slice the agent never picked up is released at once. */
    public void release(PortalUser user, UUID sliceId) {
        long tenantId = tenantOf(user);
        transactions.executeWithoutResult(tx -> {
            Slices.HostSlice slice = slices.lockForTenant(tenantId, sliceId)
                    .orElseThrow(() -> new SliceNotFoundException(sliceId));
            String actor = "user:" + user.getUsername();
            switch (slice.state()) {
                case PLACED, REQUESTED, FAILED -> transition(slice, SliceState.RELEASED, actor, "released before a device existed", null);
                case PROVISIONING, READY -> {
                    transition(slice, SliceState.RELEASING, actor, "released by the tenant", null);
                    slices.hostOf(slice.id()).ifPresent(this::bumpGeneration);
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
        while (generation(hostId) <= after) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            watch.await(hostId, left.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : left);
        }
        return transactions.execute(tx -> {
            long generation = generation(hostId);
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

    private long generation(long hostId) {
        return jdbc.sql("select desired_generation from host where id = ?").param(hostId).query(Long.class).single();
    }

    private void bumpGeneration(long hostId) {
        jdbc.sql("update host set desired_generation = desired_generation + 1 where id = ?").param(hostId).update();
        events.publishEvent(new DesiredStateChanged(hostId));
    }

    private static long tenantOf(PortalUser user) {
        if (user.tenantId() == null) {
            throw new IllegalStateException(user.getUsername() + " does not belong to a tenant");
        }
        return user.tenantId();
    }
}
