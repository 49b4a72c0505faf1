package io.vgpuhub.web.slice;

import java.time.Instant;
import java.util.UUID;

/** A slice as its tenant sees it, with where it runs. */
public record SliceView(long id, UUID uuid, String vmName, SliceState state, String offeringCode, String vgpuType,
        String licenseEdition, String hostName, String gpuPciAddress, String vfPciAddress, String failureReason,
        Instant createdAt, Instant readyAt) {

    /** The libvirt element that attaches this slice's mediated device to a VM. */
    public String libvirtHostdev() {
        return """
                <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
                  <source>
                    <address uuid='%s'/>
                  </source>
                </hostdev>""".formatted(uuid);
    }
}
