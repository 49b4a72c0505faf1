package io.vgpuhub.agent.nvml;

/**
 * MIG mode of a GPU. On Ampere a change stays {@code pending} until the GPU is reset; on Hopper it is current at once.
 */
public record MigMode(boolean current, boolean pending) {

    public boolean resetRequired() {
        return current != pending;
    }
}
