package io.vgpuhub.agent.server;

import java.util.List;

/** Answer of {@code GET /api/agent/v1/desired-state}: every slice that must exist on this host. */
public record DesiredState(long generation, List<Slice> slices) {

    public DesiredState {
        slices = slices == null ? List.of() : List.copyOf(slices);
    }

    /**
     * One desired slice. {@code kind} is {@code VGPU} or {@code MIG}.
     *
     * @param vgpuType VGPU only: profile name, e.g. {@code A40-8Q}
     * @param migProfile MIG only: GPU-instance profile name as {@code nvidia-smi mig -lgip} prints it, e.g.
     *        {@code 3g.40gb} (a leading {@code MIG } is accepted)
     * @param migStartSlot MIG only: the first memory slice of the placement, one of the profile's allowed starts
     * @param migSize MIG only, optional: the placement's size in memory slices; checked against the profile's when given
     */
    public record Slice(String sliceId, String kind, String gpuPciAddress, String vfPciAddress, String vgpuType,
            String migProfile, Integer migStartSlot, Integer migSize) {

        /** A slice without the MIG fields (a VGPU slice). */
        public Slice(String sliceId, String kind, String gpuPciAddress, String vfPciAddress, String vgpuType) {
            this(sliceId, kind, gpuPciAddress, vfPciAddress, vgpuType, null, null, null);
        }

        /** A MIG slice. */
        public static Slice mig(String sliceId, String gpuPciAddress, String migProfile, int migStartSlot, Integer migSize) {
            return new Slice(sliceId, "MIG", gpuPciAddress, null, null, migProfile, migStartSlot, migSize);
        }
    }
}
