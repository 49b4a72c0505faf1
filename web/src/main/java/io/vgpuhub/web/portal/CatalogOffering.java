package io.vgpuhub.web.portal;

import java.math.BigDecimal;

import io.vgpuhub.web.catalog.SliceKind;

/**
 * An offering as the catalog page shows it, with its list price and what it is for. Its derived values are public
 * methods because templates call them through SpEL, which sees only public methods.
 */
record CatalogOffering(long id, String code, SliceKind kind, String gpuModel, String vgpuType,
        String migProfile, int framebufferMib, int maxInstancesPerGpu, String licenseEdition,
        BigDecimal pricePerHour, String description) {

    /** The vGPU series letter (A, B, Q or C), which says what the profile is for; null for MIG and passthrough. */
    public String series() {
        return vgpuType == null ? null : vgpuType.substring(vgpuType.length() - 1);
    }

    public String framebuffer() {
        return Sizes.gigabytes(framebufferMib);
    }
}
