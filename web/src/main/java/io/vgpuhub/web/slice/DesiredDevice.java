package io.vgpuhub.web.slice;

import java.util.UUID;

import io.vgpuhub.web.catalog.SliceKind;

/**
 * A device that should exist on a host for one of its slices. By kind: VGPU has vgpuType (and vfPciAddress on SR-IOV
 * GPUs), MIG has migProfile, migStartSlot and migSize, PASSTHROUGH only the GPU.
 */
public record DesiredDevice(long id, UUID uuid, SliceState state, SliceKind kind, String gpuPciAddress, String vfPciAddress,
        String vgpuType, String migProfile, Integer migStartSlot, Integer migSize) {
}
