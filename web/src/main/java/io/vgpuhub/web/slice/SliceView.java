package io.vgpuhub.web.slice;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import io.vgpuhub.web.catalog.SliceKind;

/**
 * A slice as its tenant sees it, with where it runs. {@code deviceUuid} is the MIG device UUID (MIG only, once the
 * agent reported it); {@code migStartSlot} and {@code migSize} are its memory slices on the GPU. {@code hostSilent}:
 * its host's agent has not reported for {@code vgpuhub.placement.host-offline-after} (false when it has no host).
 */
public record SliceView(long id, UUID uuid, String vmName, SliceState state, SliceKind kind, String offeringCode,
        String gpuModel, String vgpuType, String migProfile, String licenseEdition, BigDecimal pricePerHour,
        String hostName, String gpuPciAddress, String vfPciAddress, Integer migStartSlot, Integer migSize,
        String deviceUuid, String failureReason, Instant createdAt, Instant readyAt, Instant releasedAt,
        boolean hostSilent) {

    /**
     * The libvirt element that attaches this slice to a VM: the mediated device for a vGPU, the whole PCI device
     * for passthrough. Null for MIG, whose instances are used on the host by CUDA, not given to a VM.
     */
    public String libvirtHostdev() {
        return switch (kind) {
            case VGPU -> """
                    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
                      <source>
                        <address uuid='%s'/>
                      </source>
                    </hostdev>""".formatted(uuid);
            // managed='no': the agent binds the GPU to vfio-pci itself; libvirt must not rebind it.
            case PASSTHROUGH -> gpuPciAddress == null ? null : """
                    <hostdev mode='subsystem' type='pci' managed='no'>
                      <source>
                        <address domain='0x%s' bus='0x%s' slot='0x%s' function='0x%s'/>
                      </source>
                    </hostdev>""".formatted((Object[]) pciParts(gpuPciAddress));
            case MIG -> null;
        };
    }

    /** The last memory slice the MIG instance occupies, for "slots 2–3"; null when it is not placed. */
    public Integer migEndSlot() {
        return migStartSlot == null || migSize == null ? null : migStartSlot + migSize - 1;
    }

    /** domain, bus, slot and function of a PCI address such as 0000:41:00.0 (the schema checks the format). */
    private static String[] pciParts(String address) {
        String[] domainBusRest = address.split(":");
        String[] slotFunction = domainBusRest[2].split("\\.");
        return new String[] { domainBusRest[0], domainBusRest[1], slotFunction[0], slotFunction[1] };
    }
}
