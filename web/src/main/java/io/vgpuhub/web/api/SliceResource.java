package io.vgpuhub.web.api;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.vgpuhub.web.catalog.SliceKind;
import io.vgpuhub.web.licensing.LicenseStatus;
import io.vgpuhub.web.slice.SliceState;
import io.vgpuhub.web.slice.SliceView;

/** A slice as the tenant API shows it; {@code attach} is there once the slice is READY. */
@Schema(name = "Slice")
record SliceResource(
        @Schema(description = "The slice's id; for a vGPU also the mdev UUID on the host") UUID id,
        @Schema(example = "render-node-01") String vmName,
        @Schema(description = "REQUESTED, PLACED, PROVISIONING, READY, RELEASING, RELEASED or FAILED") SliceState state,
        @Schema(example = "A40-8Q") String offeringCode,
        SliceKind kind,
        @Schema(description = "NVIDIA license edition the slice holds a seat of while it runs") String licenseEdition,
        @Schema(description = "While the slice runs (PLACED, PROVISIONING, READY) and its offering needs a license: "
                + "true when it holds a seat of its edition, false when it runs unlicensed (no seat was free and your "
                + "provider admits such slices, or its seat lapsed while its host was not reporting; it takes a seat "
                + "as soon as one is free). Null otherwise.") Boolean licensed,
        @Schema(description = "The GPU host the slice was placed on") String host,
        @Schema(description = "Why the slice failed, in the host's own words (FAILED only)") String failureReason,
        Instant createdAt,
        Instant readyAt,
        @Schema(description = "What to attach to the VM; present only while the slice is READY") Attachment attach) {

    /** @param license null when the offering needs no license or the slice no longer runs */
    static SliceResource of(SliceView slice, SliceKind kind, String migDeviceUuid, LicenseStatus license) {
        Attachment attach = slice.state() == SliceState.READY ? Attachment.of(slice, kind, migDeviceUuid) : null;
        return new SliceResource(slice.uuid(), slice.vmName(), slice.state(), slice.offeringCode(), kind,
                slice.licenseEdition(), license == null ? null : license == LicenseStatus.LICENSED, slice.hostName(),
                slice.failureReason(), slice.createdAt(), slice.readyAt(), attach);
    }

    /** What a VM needs to use the slice; which fields are set depends on the slice's kind. */
    @Schema(name = "Attachment")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Attachment(
            @Schema(description = "VGPU: the mediated device's UUID") UUID mdevUuid,
            @Schema(description = "VGPU and PASSTHROUGH: a libvirt <hostdev> element to paste into the VM's domain XML")
            String libvirtHostdev,
            @Schema(description = "MIG: the MIG device UUID (e.g. for CUDA_VISIBLE_DEVICES); null until the host reported it")
            String migDeviceUuid,
            @Schema(description = "PASSTHROUGH: the GPU to pass through. VGPU: the SR-IOV virtual function that carries "
                    + "the vGPU. MIG: the physical GPU.", example = "0000:41:00.4") String pciAddress) {

        static Attachment of(SliceView slice, SliceKind kind, String migDeviceUuid) {
            return switch (kind) {
                case VGPU -> new Attachment(slice.uuid(), slice.libvirtHostdev(), null,
                        slice.vfPciAddress() != null ? slice.vfPciAddress() : slice.gpuPciAddress());
                case MIG -> new Attachment(null, null, migDeviceUuid, slice.gpuPciAddress());
                // The portal's element, so API and page never disagree (managed='no': the agent binds vfio-pci itself).
                case PASSTHROUGH -> new Attachment(null, slice.libvirtHostdev(), null, slice.gpuPciAddress());
            };
        }
    }
}
