package io.vgpuhub.agent.nvml;

/**
 * One physical GPU as NVML reports it.
 *
 * @param index NVML enumeration index; not stable across reboots, key on {@code pciAddress} or {@code uuid}
 * @param pciAddress sysfs form, e.g. {@code 0000:41:00.0}
 * @param pciDeviceId {@code (deviceId << 16) | vendorId}, e.g. {@code 0x223510DE}
 */
public record GpuInfo(int index, String name, String uuid, String pciAddress, int pciDeviceId,
        long memoryTotalMib, long memoryUsedMib) {
}
