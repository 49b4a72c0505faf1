package io.vgpuhub.web.placement;

import java.util.Comparator;
import java.util.List;

/**
 * Time-sliced vGPU: a GPU runs one vGPU type at a time (equal-size mode), at most the type's max instances, and on an
 * SR-IOV GPU each vGPU needs a free virtual function (a GPU without SR-IOV, like the T4, carries them itself). What
 * the agent discovered on a GPU overrides the catalog's seed; a GPU whose agent reported types but not this one
 * cannot run it. PACK fills the most used GPUs of the same type first and opens an empty GPU last.
 */
final class VgpuPlanner {

    private VgpuPlanner() {
    }

    static List<Placement> rank(PlacementRequest request, List<GpuState> gpus, PlacementPolicy policy) {
        Comparator<GpuState> byUse = Comparator.comparingInt((GpuState gpu) -> gpu.live().size())
                .thenComparingInt(GpuState::hostLoad);
        Comparator<GpuState> order = policy == PlacementPolicy.PACK ? byUse.reversed() : byUse;
        return gpus.stream().filter(gpu -> canTake(gpu, request))
                .sorted(order.thenComparingLong(GpuState::id))
                .map(gpu -> Placement.vgpu(gpu.hostId(), gpu.id(), gpu.sriov() ? gpu.freeVfs().get(0) : null))
                .toList();
    }

    static boolean canTake(GpuState gpu, PlacementRequest request) {
        return Planner.admits(gpu, request)
                && gpu.live().stream().allMatch(slice -> slice.offeringId() == request.offeringId())
                && gpu.live().size() < maxInstances(gpu, request)
                && (!gpu.sriov() || !gpu.freeVfs().isEmpty());
    }

    /** The agent's figure for this GPU when it reported its types, else the catalog's. */
    static int maxInstances(GpuState gpu, PlacementRequest request) {
        if (gpu.vgpuTypes().isEmpty()) {
            return request.maxInstancesPerGpu();
        }
        return gpu.vgpuTypes().getOrDefault(request.vgpuType(), 0);
    }
}
