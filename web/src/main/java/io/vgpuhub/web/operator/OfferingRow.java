package io.vgpuhub.web.operator;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** An offering as the operator manages it; {@code visibleTo} lists the tenants that see it, empty for everyone. */
record OfferingRow(long id, String code, String kind, String gpuModel, String vgpuType, String migProfile,
        int framebufferMib, int maxInstancesPerGpu, String licenseEdition, boolean enabled, BigDecimal pricePerHour,
        String description, String visibleTo) {

    /** At least cents, never the column's trailing zeros: 0.193, 1.40, 0.0625. */
    public String price() {
        BigDecimal stripped = pricePerHour.stripTrailingZeros();
        return stripped.setScale(Math.max(2, stripped.scale()), RoundingMode.UNNECESSARY).toPlainString();
    }

    public boolean everyone() {
        return visibleTo == null || visibleTo.isEmpty();
    }

    public long framebufferGib() {
        return Math.round(framebufferMib / 1024.0);
    }
}
