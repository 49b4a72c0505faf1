package io.vgpuhub.web.api;

import java.math.BigDecimal;

import io.swagger.v3.oas.annotations.media.Schema;
import io.vgpuhub.web.catalog.SliceKind;

/** An offering as the tenant API shows it: what it is, what it costs, how many more the cluster can take now. */
@Schema(name = "Offering")
record OfferingResource(
        @Schema(description = "Use as offeringId when requesting slices", example = "12") long id,
        @Schema(description = "Use as offeringCode when requesting slices", example = "A40-8Q") String code,
        SliceKind kind,
        @Schema(example = "A40") String gpuModel,
        @Schema(description = "NVIDIA vGPU type (VGPU offerings only)", example = "A40-8Q") String vgpuType,
        @Schema(description = "GPU-instance profile (MIG offerings only)", example = "1g.10gb") String migProfile,
        @Schema(description = "GPU memory of one slice in MiB", example = "8192") int framebufferMib,
        @Schema(description = "NVIDIA license edition a slice holds a seat of while it runs; null when none",
                allowableValues = {"VAPPS", "VPC", "VWS", "VCS"}) String licenseEdition,
        @Schema(description = "List price per allocated hour", example = "0.450") BigDecimal pricePerHour,
        String description,
        @Schema(description = "How many more slices of this offering the cluster could place right now, counted on "
                + "its own (offerings of one GPU model compete for the same GPUs)", example = "6") int freeCapacity) {
}
