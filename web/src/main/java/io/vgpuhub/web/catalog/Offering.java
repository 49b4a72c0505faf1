package io.vgpuhub.web.catalog;

/** Something a tenant can order: a vGPU profile, a MIG profile or a whole GPU. */
public record Offering(long id, String code, SliceKind kind, String gpuModel, String vgpuType, int framebufferMib,
        int maxInstancesPerGpu, String licenseEdition) {
}
