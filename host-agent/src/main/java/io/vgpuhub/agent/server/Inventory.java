package io.vgpuhub.agent.server;

import java.util.List;

/** Body of {@code PUT /api/agent/v1/inventory}. */
public record Inventory(String hostname, String agentVersion, List<Gpu> gpus) {

    /** @param mode {@code VGPU} when the GPU has mdev-capable VFs or an mdev-capable PF, else {@code PASSTHROUGH} */
    public record Gpu(String pciAddress, String uuid, String name, long memoryMib, String mode, List<String> virtualFunctions) {
    }
}
