package io.vgpuhub.agent.reconcile;

import java.util.UUID;

/**
 * What the agent created for a slice, kept in {@code <stateDir>/slices/<sliceId>.json} (written before the create) so
 * that a restarted host gets its mdevs back even while the server is down, and so that only mdevs the agent created
 * are ever removed.
 */
public record SliceRecord(UUID sliceId, String kind, String gpuPciAddress, String parent, String mdevTypeId, String vgpuType) {
}
