package io.vgpuhub.web.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * How many more slices of each enabled offering the cluster could take right now, each offering counted on its own
 * (two offerings may compete for the same GPUs). Computed by the planner itself: the count is how many requests
 * in a row would be placed before the next one is refused, so the catalog never promises what placement refuses.
 */
@Component
public class FreeCapacity {

    private final ClusterSnapshots snapshots;

    FreeCapacity(ClusterSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    /** Free instances by offering id; an offering no GPU can take maps to 0. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Map<Long, Integer> freeInstancesByOffering() {
        Map<String, List<GpuState>> gpusByModel = snapshots.allGpus().stream()
                .collect(Collectors.groupingBy(GpuState::model));
        Map<Long, Integer> free = new HashMap<>();
        for (PlacementRequest request : snapshots.enabledRequests()) {
            free.put(request.offeringId(), gpusByModel.getOrDefault(request.gpuModel(), List.of()).stream()
                    .mapToInt(gpu -> Planner.capacity(request, gpu)).sum());
        }
        return free;
    }
}
