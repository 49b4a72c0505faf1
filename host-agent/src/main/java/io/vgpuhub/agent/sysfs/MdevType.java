package io.vgpuhub.agent.sysfs;

import io.vgpuhub.agent.nvml.VgpuType;

/**
 * One {@code mdev_supported_types/<id>} directory of a parent.
 *
 * @param id directory name, e.g. {@code nvidia-557}; the number is the driver's vGPU type id
 * @param name e.g. {@code NVIDIA A40-8Q} (older drivers: {@code GRID ...})
 */
public record MdevType(String parent, String id, String name, MdevTypeDescription description, int availableInstances,
        String deviceApi) {

    /** The profile name without product prefix, e.g. {@code A40-8Q}: the last whitespace-separated token of {@code name}. */
    public String profile() {
        return VgpuType.profileOf(name);
    }
}
