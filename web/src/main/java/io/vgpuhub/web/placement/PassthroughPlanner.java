package io.vgpuhub.web.placement;

import java.util.Comparator;
import java.util.List;

/**
 * Passthrough: the whole GPU, only when it holds nothing. PACK takes GPUs on the busiest hosts first, which keeps
 * whole hosts free; SPREAD takes them on the least busy.
 */
final class PassthroughPlanner {

    private PassthroughPlanner() {
    }

    static List<Placement> rank(PlacementRequest request, List<GpuState> gpus, PlacementPolicy policy) {
        Comparator<GpuState> byHostLoad = Comparator.comparingInt(GpuState::hostLoad);
        Comparator<GpuState> order = policy == PlacementPolicy.PACK ? byHostLoad.reversed() : byHostLoad;
        return gpus.stream().filter(gpu -> Planner.admits(gpu, request) && gpu.live().isEmpty())
                .sorted(order.thenComparingLong(GpuState::id))
                .map(gpu -> Placement.passthrough(gpu.hostId(), gpu.id()))
                .toList();
    }
}
