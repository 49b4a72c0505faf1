package io.vgpuhub.web.agentapi;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.web.catalog.SliceKind;
import io.vgpuhub.web.slice.ObservedState;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * The JSON messages of the agent API, version 1. Fields added after the first agents shipped are optional (null when
 * an older agent leaves them out), and unknown fields are ignored, so agents and server can be upgraded apart.
 */
final class AgentApiMessages {

    /** A PCI address as sysfs writes it (domain:bus:device.function), without anchors so that other patterns embed it. */
    private static final String PCI_ADDRESS_BODY = "[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]";
    static final String PCI_ADDRESS = "^" + PCI_ADDRESS_BODY + "$";
    static final String GPU_UUID = "^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    static final String MIG_UUID = "^MIG-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    /** As nvidia-smi prints GPU-instance profiles; NVML's own names carry a leading "MIG ", accepted too. */
    static final String MIG_PROFILE = "^(MIG )?[1-8]g\\.[0-9]+gb([+-][a-z]+(\\.[a-z]+)?)*$";
    static final String READINESS_SCOPE = "^(host|" + PCI_ADDRESS_BODY + ")$";
    static final String CHECK_ID = "^[a-z0-9]+(-[a-z0-9]+)*$";
    static final String CHECK_STATUS = "^(OK|WARN|FAIL)$";

    /** The most GPUs one inventory report may list. */
    static final int MAX_GPUS = 64;
    /**
     * The most readiness checks one report may carry. The agent runs 5 host-wide checks and 6 per GPU, so the limit
     * follows from {@link #MAX_GPUS}: were it lower, a host with many GPUs would have its whole inventory refused on
     * every report, and the server would never learn of its GPUs.
     */
    static final int MAX_READINESS_CHECKS = 5 + 6 * MAX_GPUS;

    private AgentApiMessages() {
    }

    /** @param readiness the host readiness checks the agent ran; absent from agents older than the checks */
    record InventoryReport(
            @Size(max = 253) String hostname,
            @Size(max = 64) String agentVersion,
            @NotNull @Size(max = MAX_GPUS) List<@Valid @NotNull GpuReport> gpus,
            @Size(max = 256) List<@NotNull @Size(max = 200) String> foreignDevices,
            @Valid Readiness readiness) {
    }

    /** @param checkedAt when the agent ran the checks */
    record Readiness(
            @NotNull Instant checkedAt,
            @NotNull @Size(max = MAX_READINESS_CHECKS) List<@Valid @NotNull ReadinessCheck> checks) {
    }

    /**
     * One readiness check. Status is text, not an enum, so that an unknown one is named like any other invalid field
     * instead of failing the whole body's parsing.
     *
     * @param scope {@code host}, or the PCI address of the GPU the check is about
     * @param fix   the exact command or step; agents send it unless the status is OK
     */
    record ReadinessCheck(
            @NotNull @Pattern(regexp = READINESS_SCOPE, message = "must be host or a PCI address like 0000:41:00.0") String scope,
            @NotNull @Size(max = 40) @Pattern(regexp = CHECK_ID, message = "must be a kebab-case check id like iommu-cmdline")
            String check,
            @NotNull @Pattern(regexp = CHECK_STATUS, message = "must be OK, WARN or FAIL") String status,
            @NotBlank @Size(max = 300) String summary,
            @Size(max = 500) String fix) {
    }

    /**
     * @param mode             what the agent sees the GPU running now (the operator's wish comes back in desired state)
     * @param sriov            false for GPUs that carry their vGPUs themselves (T4); absent: true for a new GPU
     * @param vgpuTypes        the vGPU types the driver offers; absent: the server keeps what it knew
     * @param migProfiles      the MIG GPU-instance profiles; absent: the server keeps what it knew
     * @param migInstances     the MIG GPU instances that exist now; absent: the server keeps what it knew
     * @param passthroughBound whether the GPU is bound to vfio-pci for passthrough
     */
    record GpuReport(
            @NotNull @Pattern(regexp = PCI_ADDRESS, message = "must be a PCI address like 0000:41:00.0") String pciAddress,
            @NotNull @Pattern(regexp = GPU_UUID, message = "must be an NVML GPU UUID like GPU-xxxxxxxx-...") String uuid,
            @NotBlank @Size(max = 96) String name,
            @Positive int memoryMib,
            @NotNull SliceKind mode,
            @NotNull @Size(max = 256) List<@NotNull @Pattern(regexp = PCI_ADDRESS,
                    message = "must be a PCI address like 0000:41:00.4") String> virtualFunctions,
            Boolean sriov,
            Boolean migCapable,
            @Size(max = 128) List<@Valid @NotNull VgpuTypeReport> vgpuTypes,
            @Size(max = 32) List<@Valid @NotNull MigProfileReport> migProfiles,
            @Size(max = 8) List<@Valid @NotNull MigInstanceReport> migInstances,
            Boolean passthroughBound) {
    }

    /** @param name as the catalog names vGPU types, e.g. {@code A40-8Q} (NVML's "NVIDIA " prefix is dropped) */
    record VgpuTypeReport(
            @NotBlank @Size(max = 64) String name,
            @Positive int framebufferMib,
            @Min(0) @Max(64) int maxInstances) {
    }

    record MigProfileReport(
            @NotNull @Pattern(regexp = MIG_PROFILE, message = "must be a MIG profile name like 3g.40gb") String name,
            @PositiveOrZero Integer profileId,
            @Min(1) @Max(8) int memorySlices,
            @NotNull @Size(min = 1, max = 8) List<@NotNull @Min(0) @Max(7) Integer> startSlots,
            @Min(0) @Max(8) int maxInstances,
            @Positive int memoryMib) {
    }

    record MigInstanceReport(
            @NotNull @Pattern(regexp = MIG_PROFILE, message = "must be a MIG profile name like 3g.40gb") String profile,
            @Min(0) @Max(7) int startSlot,
            @Min(1) @Max(8) int size,
            @Pattern(regexp = MIG_UUID, message = "must be a MIG device UUID like MIG-xxxxxxxx-...") String deviceUuid) {
    }

    record Heartbeat(@Size(max = 64) String agentVersion) {
    }

    /** @param gpus the mode the operator wants for each GPU of the host; MIG is switched only while a GPU is empty */
    record DesiredState(long generation, List<DesiredGpu> gpus, List<DesiredSlice> slices) {
    }

    record DesiredGpu(String pciAddress, SliceKind mode) {
    }

    /**
     * One device that should exist. VGPU: vgpuType, and vfPciAddress on SR-IOV GPUs. MIG: migProfile, migStartSlot,
     * migSize. PASSTHROUGH: the GPU itself. Fields of the other kinds are null.
     */
    record DesiredSlice(UUID sliceId, SliceKind kind, String gpuPciAddress, String vfPciAddress, String vgpuType,
            String migProfile, Integer migStartSlot, Integer migSize) {
    }

    /** @param migDeviceUuid READY of a MIG slice: the MIG device the tenant attaches */
    record ObservedSlice(
            @NotNull ObservedState state,
            UUID mdevUuid,
            @Pattern(regexp = MIG_UUID, message = "must be a MIG device UUID like MIG-xxxxxxxx-...") String migDeviceUuid,
            @Size(max = 2000) String reason) {
    }

    record UsageBatch(@NotNull UUID batchId, @NotNull @Size(min = 1, max = 10_000) List<@Valid @NotNull UsageSample> samples) {
    }

    /** Value checks beyond the JSON's shape (ranges, times, the slice's host) are metering's, with its reasons. */
    record UsageSample(
            @NotNull UUID sliceId,
            @NotNull Instant sampledAt,
            int gpuUtilizationPercent,
            int memoryUsedMib,
            @Size(max = 40) String licenseState) {
    }

    /**
     * @param samples       samples the batch carried
     * @param stored        samples newly stored (samples already there are skipped)
     * @param alreadyStored the batch id was stored before; this copy changed nothing
     */
    record UsageAccepted(UUID batchId, int samples, int stored, boolean alreadyStored) {
    }
}
