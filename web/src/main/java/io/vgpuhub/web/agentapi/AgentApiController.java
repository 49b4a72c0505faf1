package io.vgpuhub.web.agentapi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vgpuhub.metering.usage.UsageIngestion;
import io.vgpuhub.metering.usage.UsageReceipt;
import io.vgpuhub.metering.usage.UsageSampleReport;
import io.vgpuhub.web.agentapi.AgentApiMessages.DesiredGpu;
import io.vgpuhub.web.agentapi.AgentApiMessages.DesiredSlice;
import io.vgpuhub.web.agentapi.AgentApiMessages.DesiredState;
import io.vgpuhub.web.agentapi.AgentApiMessages.GpuReport;
import io.vgpuhub.web.agentapi.AgentApiMessages.Heartbeat;
import io.vgpuhub.web.agentapi.AgentApiMessages.InventoryReport;
import io.vgpuhub.web.agentapi.AgentApiMessages.ObservedSlice;
import io.vgpuhub.web.agentapi.AgentApiMessages.Readiness;
import io.vgpuhub.web.agentapi.AgentApiMessages.UsageAccepted;
import io.vgpuhub.web.agentapi.AgentApiMessages.UsageBatch;
import io.vgpuhub.web.agentapi.AgentApiMessages.UsageSample;
import io.vgpuhub.web.inventory.HostInventory;
import io.vgpuhub.web.inventory.HostLiveness;
import io.vgpuhub.web.licensing.LeaseRenewal;
import io.vgpuhub.web.inventory.ReportedGpu;
import io.vgpuhub.web.inventory.ReportedReadiness;
import io.vgpuhub.web.slice.HostDesiredState;
import io.vgpuhub.web.slice.SliceLifecycle;
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

/**
 * What host agents call: report inventory, send heartbeats, fetch desired state, report what they observed, upload
 * usage. The host is the token's; every call is a sign of life of that host and nothing else, and renews the license
 * seat leases of its slices once the call's own work is committed.
 */
@RestController
@RequestMapping("/api/agent/v1")
@Validated
class AgentApiController {

    private final HostInventory inventory;
    private final HostLiveness liveness;
    private final SliceLifecycle lifecycle;
    private final UsageIngestion usage;
    private final AgentApiSettings settings;
    private final SliceIds sliceIds;
    private final LeaseRenewal leases;

    AgentApiController(HostInventory inventory, HostLiveness liveness, SliceLifecycle lifecycle, UsageIngestion usage,
            AgentApiSettings settings, SliceIds sliceIds, LeaseRenewal leases) {
        this.inventory = inventory;
        this.liveness = liveness;
        this.lifecycle = lifecycle;
        this.usage = usage;
        this.settings = settings;
        this.sliceIds = sliceIds;
        this.leases = leases;
    }

    @PutMapping("/inventory")
    ResponseEntity<Void> inventory(@AuthenticationPrincipal AgentHost host, @Valid @RequestBody InventoryReport report) {
        inventory.record(host.id(), report.agentVersion(), report.gpus().stream().map(AgentApiController::reported).toList(),
                report.foreignDevices() == null ? List.of() : report.foreignDevices(), readiness(report.readiness()));
        leases.heardFrom(host.id());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/heartbeat")
    ResponseEntity<Void> heartbeat(@AuthenticationPrincipal AgentHost host,
            @Valid @RequestBody(required = false) Heartbeat heartbeat) {
        heardFrom(host, heartbeat == null ? null : heartbeat.agentVersion());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/desired-state")
    DesiredState desiredState(@AuthenticationPrincipal AgentHost host,
            @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "0") @Min(0) @Max(300) int waitSeconds) throws InterruptedException {
        heardFrom(host, null);
        Duration wait = Duration.ofSeconds(waitSeconds);
        if (wait.compareTo(settings.maxWait()) > 0) {
            wait = settings.maxWait();
        }
        HostDesiredState state = lifecycle.desiredState(host.id(), host.name(), after, wait);
        return new DesiredState(state.generation(),
                state.gpus().stream().map(gpu -> new DesiredGpu(gpu.pciAddress(), gpu.mode())).toList(),
                state.devices().stream()
                        .map(device -> new DesiredSlice(device.uuid(), device.kind(), device.gpuPciAddress(),
                                device.vfPciAddress(), device.vgpuType(), device.migProfile(), device.migStartSlot(),
                                device.migSize()))
                        .toList());
    }

    @PostMapping("/slices/{sliceId}/observed")
    ResponseEntity<Void> observed(@AuthenticationPrincipal AgentHost host, @PathVariable UUID sliceId,
            @Valid @RequestBody ObservedSlice observed) {
        lifecycle.observe(host.id(), host.name(), sliceId, observed.state(), observed.migDeviceUuid(), observed.reason());
        heardFrom(host, null);
        return ResponseEntity.noContent().build();
    }

    /**
     * Stores a usage batch all or nothing, once per batch id: a batch sent again is answered as already stored. Every
     * sample must be of a slice on this host; unknown ones refuse the whole batch (422: re-sending cannot change that,
     * so the agent skips the batch instead of letting it block the samples behind it).
     */
    @PostMapping("/usage")
    UsageAccepted usage(@AuthenticationPrincipal AgentHost host, @Valid @RequestBody UsageBatch batch) {
        Map<UUID, Long> ids = sliceIds.onHost(host.id(), batch.samples().stream().map(UsageSample::sliceId).toList());
        List<UUID> unknown = batch.samples().stream().map(UsageSample::sliceId).filter(id -> !ids.containsKey(id))
                .distinct().toList();
        if (!unknown.isEmpty()) {
            throw new UnknownSlicesException(unknown);
        }
        UsageReceipt receipt = usage.ingest(batch.batchId(), host.id(), batch.samples().stream()
                .map(sample -> new UsageSampleReport(ids.get(sample.sliceId()), sample.sampledAt(),
                        sample.gpuUtilizationPercent(), sample.memoryUsedMib(), sample.licenseState()))
                .toList());
        heardFrom(host, null);
        return new UsageAccepted(receipt.batchId(), receipt.samples(), receipt.stored(), receipt.alreadyStored());
    }

    /** Each call is in a transaction of its own, so the lease renewal after it holds no connection or row of it. */
    private void heardFrom(AgentHost host, String agentVersion) {
        liveness.heardFrom(host.id(), agentVersion);
        leases.heardFrom(host.id());
    }

    private static ReportedReadiness readiness(Readiness readiness) {
        return readiness == null ? null : new ReportedReadiness(readiness.checkedAt(), readiness.checks().stream()
                .map(c -> new ReportedReadiness.Check(c.scope(), c.check(), c.status(), c.summary(), c.fix())).toList());
    }

    private static ReportedGpu reported(GpuReport gpu) {
        return new ReportedGpu(gpu.pciAddress(), gpu.uuid(), gpu.name(), gpu.memoryMib(), gpu.mode(), gpu.virtualFunctions(),
                gpu.sriov(), gpu.migCapable(),
                gpu.vgpuTypes() == null ? null : gpu.vgpuTypes().stream()
                        .map(t -> new ReportedGpu.VgpuType(t.name(), t.framebufferMib(), t.maxInstances())).toList(),
                gpu.migProfiles() == null ? null : gpu.migProfiles().stream()
                        .map(p -> new ReportedGpu.MigProfile(p.name(), p.profileId(), p.memorySlices(), p.startSlots(),
                                p.maxInstances(), p.memoryMib()))
                        .toList(),
                gpu.migInstances() == null ? null : gpu.migInstances().stream()
                        .map(i -> new ReportedGpu.MigInstance(i.profile(), i.startSlot(), i.size(), i.deviceUuid())).toList(),
                gpu.passthroughBound());
    }
}
