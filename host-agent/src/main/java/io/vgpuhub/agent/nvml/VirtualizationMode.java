package io.vgpuhub.agent.nvml;

/**
 * nvmlGpuVirtualizationMode_t. A host runs the NVIDIA vGPU host driver (vGPU manager) when its GPUs report
 * {@link #HOST_VGPU} (or {@link #HOST_VSGA}); the data-center driver reports {@link #NONE}; {@link #PASSTHROUGH} and
 * {@link #VGPU} are what a guest sees of a passed-through GPU or a vGPU.
 */
public enum VirtualizationMode {
    NONE, PASSTHROUGH, VGPU, HOST_VGPU, HOST_VSGA, UNKNOWN;

    static VirtualizationMode of(int code) {
        VirtualizationMode[] known = values();
        return code >= 0 && code < UNKNOWN.ordinal() ? known[code] : UNKNOWN;
    }

    /** Whether the GPU is driven by the vGPU host driver, the one that creates vGPUs. */
    public boolean isVgpuHost() {
        return this == HOST_VGPU || this == HOST_VSGA;
    }
}
