package io.vgpuhub.web.operator;

import java.util.UUID;

/** A live slice as the GPU page shows it: whose it is and where on the GPU it sits. */
record Holder(long gpuId, UUID uuid, String tenantName, String vmName, String state, String offeringCode,
        String vgpuType, String migProfile, Integer migStartSlot, Integer migSize, String vfPciAddress,
        int offeringMaxInstances, Integer reportedMaxInstances) {

    /** The shortest label that says what the slice is: its vGPU type or MIG profile, else its offering. */
    public String profile() {
        if (migProfile != null) {
            return migProfile;
        }
        return vgpuType != null ? vgpuType : offeringCode;
    }
}
