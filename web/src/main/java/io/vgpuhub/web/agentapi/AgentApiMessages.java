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
import jakarta.validation.constraints.Size;

/** The JSON messages of the agent API, version 1. */
final class AgentApiMessages {

    static final String PCI_ADDRESS = "^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]$";
    static final String GPU_UUID = "^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    private AgentApiMessages() {
    }

    record InventoryReport(
            @Size(max = 253) String hostname,
            @Size(max = 64) String agentVersion,
            @NotNull @Size(max = 64) List<@Valid @NotNull GpuReport> gpus,
            @Size(max = 256) List<@NotNull @Size(max = 200) String> foreignDevices) {
    }

    record GpuReport(
            @NotNull @Pattern(regexp = PCI_ADDRESS, message = "must be a PCI address like 0000:41:00.0") String pciAddress,
            @NotNull @Pattern(regexp = GPU_UUID, message = "must be an NVML GPU UUID like GPU-xxxxxxxx-...") String uuid,
            @NotBlank @Size(max = 96) String name,
            @Positive int memoryMib,
            @NotNull SliceKind mode,
            @NotNull @Size(max = 256) List<@NotNull @Pattern(regexp = PCI_ADDRESS,
                    message = "must be a PCI address like 0000:41:00.4") String> virtualFunctions) {
    }

    record DesiredState(long generation, List<DesiredSlice> slices) {
    }

    record DesiredSlice(UUID sliceId, SliceKind kind, String gpuPciAddress, String vfPciAddress, String vgpuType) {
    }

    record ObservedSlice(@NotNull ObservedState state, UUID mdevUuid, @Size(max = 2000) String reason) {
    }

    record UsageBatch(@NotNull UUID batchId, @NotNull @Size(min = 1, max = 10_000) List<@Valid @NotNull UsageSample> samples) {
    }

    record UsageSample(
            @NotNull UUID sliceId,
            @NotNull Instant sampledAt,
            @Min(0) @Max(100) int gpuUtilizationPercent,
            @Min(0) int memoryUsedMib,
            @Pattern(regexp = "^[A-Z_]{1,40}$", message = "must be an NVML license state such as LICENSED") String licenseState) {
    }
}
