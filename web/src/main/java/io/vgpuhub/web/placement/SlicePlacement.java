package io.vgpuhub.web.placement;

import java.util.List;
import java.util.Optional;

import io.vgpuhub.web.catalog.Offering;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where a new slice of an offering goes, for every kind (time-sliced vGPU, MIG, passthrough). Runs inside the
 * caller's transaction: reads a snapshot of the offering's GPUs, lets the {@link Planner} rank them, then locks the
 * best GPU's row and checks it again under the lock, so concurrent requests for one GPU are decided one after the
 * other. The slice's insert must follow in the same transaction; the schema's constraints stand behind both.
 */
@Component
public class SlicePlacement {

    private final ClusterSnapshots snapshots;
    private final PlacementSettings settings;
    private final JdbcClient jdbc;
    private final PlacementTimer timer;

    SlicePlacement(ClusterSnapshots snapshots, PlacementSettings settings, JdbcClient jdbc, PlacementTimer timer) {
        this.snapshots = snapshots;
        this.settings = settings;
        this.jdbc = jdbc;
        this.timer = timer;
    }

    /**
     * Chooses a place for one slice of {@code offering} and keeps its GPU locked until the caller's transaction ends.
     *
     * @return empty when no GPU can take it now
     * @throws IllegalArgumentException when the offering does not exist
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Placement> place(Offering offering) {
        PlacementRequest request = snapshots.request(offering.id())
                .orElseThrow(() -> new IllegalArgumentException("Offering " + offering.id() + " does not exist"));
        return timer.time(() -> {
            for (Placement choice : Planner.rank(request, snapshots.gpusFor(request), settings.policy())) {
                Optional<Placement> held = lockedAndStillFree(choice.gpuId(), request);
                if (held.isPresent()) {
                    return held;
                }
            }
            return Optional.<Placement>empty();
        });
    }

    /**
     * Locks the GPU and plans on it again. A GPU that can no longer take the request is let go at once (rolling back
     * to a savepoint releases the row lock): holding it while trying the next GPU could deadlock with a request that
     * holds that one and wants this. A plain SQL savepoint, because the JPA transaction manager allows no nested
     * transactions.
     */
    private Optional<Placement> lockedAndStillFree(long gpuId, PlacementRequest request) {
        jdbc.sql("savepoint placement_candidate").update();
        Optional<Placement> still = snapshots.lockAndLoad(gpuId, request)
                .flatMap(gpu -> Planner.rank(request, List.of(gpu), settings.policy()).stream().findFirst());
        if (still.isEmpty()) {
            jdbc.sql("rollback to savepoint placement_candidate").update();
        }
        jdbc.sql("release savepoint placement_candidate").update();
        return still;
    }
}
