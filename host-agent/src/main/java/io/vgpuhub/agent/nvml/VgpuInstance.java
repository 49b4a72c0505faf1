package io.vgpuhub.agent.nvml;

import java.time.Instant;
import java.util.UUID;

/**
 * An active vGPU on a physical GPU.
 *
 * @param instanceId nvmlVgpuInstance_t (unsigned 32 bits), the "vGPU ID" of {@code nvidia-smi vgpu}
 * @param vgpuUuid the vGPU's own UUID (not the mdev's)
 * @param mdevUuid the mediated device the vGPU runs as
 * @param framebufferUsedMib framebuffer the VM uses now, at most the type's framebuffer
 * @param licenseExpiry when the guest's license expires; null unless {@code licenseState} is LICENSED with a valid expiry
 */
public record VgpuInstance(long instanceId, UUID vgpuUuid, UUID mdevUuid, int typeId, String typeName, long framebufferUsedMib,
        VgpuLicenseState licenseState, Instant licenseExpiry) {
}
