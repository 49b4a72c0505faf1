package io.vgpuhub.agent.server;

import java.util.List;

/** Answer of {@code GET /api/agent/v1/desired-state}: every slice that must exist on this host. */
public record DesiredState(long generation, List<Slice> slices) {

    public DesiredState {
        slices = slices == null ? List.of() : List.copyOf(slices);
    }

    /** @param vgpuType profile name, e.g. {@code A40-8Q} */
    public record Slice(String sliceId, String kind, String gpuPciAddress, String vfPciAddress, String vgpuType) {
    }
}
