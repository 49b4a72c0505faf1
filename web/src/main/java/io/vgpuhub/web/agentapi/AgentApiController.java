package io.vgpuhub.web.agentapi;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.metering.usage.UsageIngestion;
import io.vgpuhub.metering.usage.UsageSampleReport;
import io.vgpuhub.web.agentapi.AgentApiMessages.DesiredSlice;
import io.vgpuhub.web.agentapi.AgentApiMessages.DesiredState;
import io.vgpuhub.web.agentapi.AgentApiMessages.InventoryReport;
import io.vgpuhub.web.agentapi.AgentApiMessages.ObservedSlice;
import io.vgpuhub.web.agentapi.AgentApiMessages.UsageBatch;
import io.vgpuhub.web.catalog.SliceKind;
import io.vgpuhub.web.inventory.HostInventory;
import io.vgpuhub.web.inventory.ReportedGpu;
import io.vgpuhub.web.slice.HostDesiredState;
import io.vgpuhub.web.slice.SliceLifecycle;
import io.vgpuhub.web.slice.SliceNotFoundException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What host agents call: report inventory, fetch desired state, report what they observed, upload usage. */
@RestController
@RequestMapping("/api/agent/v1")
@Validated
class AgentApiController {

    private final HostInventory inventory;
    private final SliceLifecycle lifecycle;
    private final UsageIngestion usage;
    private final AgentApiSettings settings;
    private final SliceIds sliceIds;

    AgentApiController(HostInventory inventory, SliceLifecycle lifecycle, UsageIngestion usage,
            AgentApiSettings settings, SliceIds sliceIds) {
        this.inventory = inventory;
        this.lifecycle = lifecycle;
        this.usage = usage;
        this.settings = settings;
        this.sliceIds = sliceIds;
    }

    @PutMapping("/inventory")
    ResponseEntity<Void> inventory(@AuthenticationPrincipal AgentHost host, @Valid @RequestBody InventoryReport report) {
        inventory.record(host.id(), report.gpus().stream()
                .map(gpu -> new ReportedGpu(gpu.pciAddress(), gpu.uuid(), gpu.name(), gpu.memoryMib(), gpu.mode(),
                        gpu.virtualFunctions()))
                .toList(), report.foreignDevices() == null ? List.of() : report.foreignDevices());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/desired-state")
    DesiredState desiredState(@AuthenticationPrincipal AgentHost host,
            @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "0") @Min(0) @Max(300) int waitSeconds) throws InterruptedException {
        inventory.heardFrom(host.id());
        Duration wait = Duration.ofSeconds(waitSeconds);
        if (wait.compareTo(settings.maxWait()) > 0) {
            wait = settings.maxWait();
        }
        HostDesiredState state = lifecycle.desiredState(host.id(), host.name(), after, wait);
        return new DesiredState(state.generation(), state.devices().stream()
                .map(device -> new DesiredSlice(device.uuid(), SliceKind.valueOf(device.kind()), device.gpuPciAddress(),
                        device.vfPciAddress(), device.vgpuType()))
                .toList());
    }

    @PostMapping("/slices/{sliceId}/observed")
    ResponseEntity<Void> observed(@AuthenticationPrincipal AgentHost host, @PathVariable UUID sliceId,
            @Valid @RequestBody ObservedSlice observed) {
        lifecycle.observe(host.id(), host.name(), sliceId, observed.state(), observed.reason());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/usage")
    ResponseEntity<Void> usage(@AuthenticationPrincipal AgentHost host, @Valid @RequestBody UsageBatch batch) {
        var reports = batch.samples().stream()
                .map(sample -> new UsageSampleReport(
                        sliceIds.onHost(host.id(), sample.sliceId()).orElseThrow(() -> new SliceNotFoundException(sample.sliceId())),
                        sample.sampledAt(), sample.gpuUtilizationPercent(), sample.memoryUsedMib(), sample.licenseState()))
                .toList();
        usage.ingest(batch.batchId(), reports);
        inventory.heardFrom(host.id());
        return ResponseEntity.noContent().build();
    }
}
