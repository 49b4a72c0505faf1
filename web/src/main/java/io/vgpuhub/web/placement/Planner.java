package io.vgpuhub.web.placement;

import java.util.List;

/**
 * Decides where a slice goes, from a snapshot of the cluster alone (no database, no locks): the hardware's rules per
 * kind and the policy's preference among the GPUs that can take it.
 */
final class Planner {

    private Planner() {
    }

    /**
     * Every GPU that can take one slice of {@code request}, best first, each with the place on it that the policy
     * prefers. Empty when no GPU can.
     */
    static List<Placement> rank(PlacementRequest request, List<GpuState> gpus, PlacementPolicy policy) {
        return switch (request.kind()) {
            case VGPU -> VgpuPlanner.rank(request, gpus, policy);
            case MIG -> MigPlanner.rank(request, gpus, policy);
            case PASSTHROUGH -> PassthroughPlanner.rank(request, gpus, policy);
        };
    }

    /**
     * How many more slices of {@code request} this GPU takes when they come one after the other, each placed where
     * the planner puts it. GPUs do not affect each other, so a cluster's free capacity is the sum over its GPUs.
     */
    static int capacity(PlacementRequest request, GpuState gpu) {
        int placed = 0;
        GpuState state = gpu;
        // 64 bounds every kind (max_instances_per_gpu <= 64); the guard only stops a runaway loop on bad data.
        while (placed < 64) {
            List<Placement> next = rank(request, List.of(state), PlacementPolicy.PACK);
            if (next.isEmpty()) {
                break;
            }
            state = state.with(next.get(0), request);
            placed++;
        }
        return placed;
    }

    /** The GPU is where this request may go at all: right model, in the request's mode, on a host that takes slices. */
    static boolean admits(GpuState gpu, PlacementRequest request) {
        return gpu.hostAccepts() && gpu.mode() == request.kind() && gpu.model().equals(request.gpuModel());
    }
}
