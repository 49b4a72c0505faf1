package io.vgpuhub.web.api;

import io.swagger.v3.oas.annotations.media.Schema;
import io.vgpuhub.web.slice.SliceRequests;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A request for slices for one VM; name the offering by id or by code, not both. */
@Schema(name = "SliceRequest")
record SliceRequestBody(
        @Schema(description = "The offering's id (give this or offeringCode)", example = "12") Long offeringId,
        @Schema(description = "The offering's code (give this or offeringId)", example = "A40-8Q") String offeringCode,
        @Schema(description = "The VM the slices are for", example = "render-node-01", requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "Give the name of the VM the slices are for.")
        @Pattern(regexp = SliceRequests.VM_NAME_REGEX,
                message = "Use 1 to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit.")
        String vmName,
        @Schema(description = "How many slices for this VM, all or none (1 to 16; default 1)", example = "1",
                minimum = "1", maximum = "16")
        @Min(value = 1, message = "Ask for at least 1 slice.")
        @Max(value = 16, message = "Ask for at most 16 slices at once.")
        Integer count,
        @Schema(description = "The code of your tenant's cost centre the slices bill to (optional; default: your "
                + "tenant's root cost centre)", example = "CC-4711")
        String costCentre) {

    int countOrOne() {
        return count == null ? 1 : count;
    }

    /** The cost centre code without surrounding spaces; null (the root) when not given or blank. */
    String costCentreOrRoot() {
        return costCentre == null || costCentre.isBlank() ? null : costCentre.strip();
    }
}
