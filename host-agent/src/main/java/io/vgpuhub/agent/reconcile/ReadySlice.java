package io.vgpuhub.agent.reconcile;

import java.util.UUID;

/** A slice whose device exists and was reported READY: what the usage sampler samples. */
public record ReadySlice(UUID sliceId, String gpuPciAddress, UUID mdevUuid, long framebufferMib) {
}
