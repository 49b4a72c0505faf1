package io.vgpuhub.web.placement;

import java.util.List;
import java.util.Optional;

import io.vgpuhub.web.catalog.Offering;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

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
    private final TransactionTemplate savepoint;

    SlicePlacement(ClusterSnapshots snapshots, PlacementSettings settings, PlatformTransactionManager transactions) {
        this.snapshots = snapshots;
        this.settings = settings;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
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
        for (Placement choice : Planner.rank(request, snapshots.gpusFor(request), settings.policy())) {
            Optional<Placement> held = savepoint.execute(status -> {
                Optional<Placement> still = snapshots.lockAndLoad(choice.gpuId(), request)
                        .flatMap(gpu -> Planner.rank(request, List.of(gpu), settings.policy()).stream().findFirst());
                if (still.isEmpty()) {
                    // Rolling back to the savepoint releases this GPU's lock: holding it while trying the next GPU
                    // could deadlock with a request that holds that one and wants this.
                    status.setRollbackOnly();
                }
                return still;
            });
            if (held.isPresent()) {
                return held;
            }
        }
        return Optional.empty();
    }
}
