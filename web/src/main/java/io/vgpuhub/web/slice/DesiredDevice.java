package io.vgpuhub.web.slice;

import java.util.UUID;

/** A device that should exist on a host for one of its slices. */
public record DesiredDevice(long id, UUID uuid, SliceState state, String kind, String gpuPciAddress, String vfPciAddress,
        String vgpuType) {
}
