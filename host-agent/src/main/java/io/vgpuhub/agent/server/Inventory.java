package io.vgpuhub.agent.server;

import java.util.List;

/** Body of {@code PUT /api/agent/v1/inventory}. */
/** @param foreignDevices devices on the host that this agent did not create (it never removes them) */
public record Inventory(String hostname, String agentVersion, List<Gpu> gpus, List<String> foreignDevices) {

    /** @param mode {@code MIG} when MIG is enabled, {@code VGPU} with mdev or vendor-VFIO capable VFs, else {@code PASSTHROUGH} */
    public record Gpu(String pciAddress, String uuid, String name, long memoryMib, String mode, List<String> virtualFunctions) {
    }
}
