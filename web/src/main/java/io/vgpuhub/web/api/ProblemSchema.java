package io.vgpuhub.web.api;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of the API's RFC 9457 problem details, for the OpenAPI document only (Spring's ProblemDetail keeps its
 * extension members in a map that is written flat, which springdoc cannot see).
 */
@Schema(name = "Problem", description = "An RFC 9457 problem detail (application/problem+json)")
record ProblemSchema(
        @Schema(description = "What kind of problem: urn:vgpuhub:problem:invalid-request, :not-found, :no-capacity, "
                + ":quota-exceeded, :no-license-seat, or about:blank", example = "urn:vgpuhub:problem:no-capacity") String type,
        @Schema(example = "No capacity") String title,
        @Schema(example = "409") int status,
        @Schema(description = "What went wrong and what to do, for a person to read") String detail,
        @Schema(description = "The request path", example = "/api/v1/slices") String instance,
        @Schema(description = "Invalid request: the fields at fault") List<FieldError> errors,
        @Schema(description = "Quota exceeded: which quota", allowableValues = {"SLICES", "FRAMEBUFFER_MIB"}) String limit,
        @Schema(description = "Quota exceeded: the quota") Long allowed,
        @Schema(description = "Quota exceeded: how much live slices use now") Long inUse,
        @Schema(description = "Quota exceeded: how much this request asked for") Long requested,
        @Schema(description = "No license seat: the NVIDIA license edition with no seat free",
                allowableValues = {"VAPPS", "VPC", "VWS", "VCS"}) String edition) {

    @Schema(name = "FieldError")
    record FieldError(@Schema(example = "vmName") String field,
            @Schema(example = "Give the name of the VM the slices are for.") String message) {
    }
}
