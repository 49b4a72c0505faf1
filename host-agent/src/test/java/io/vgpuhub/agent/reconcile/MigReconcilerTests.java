package io.vgpuhub.agent.reconcile;

import static io.vgpuhub.agent.support.SimulatedHosts.A100_80GB_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.H100_PF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.Placement;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

/** MIG slices through the Reconciler, MigReconciler, the real NVML binding and the simulated MIG boards. */
class MigReconcilerTests {

    /** H100 with MIG off at boot (Hopper: a mode change applies at once and does not survive a reboot). */
    static final String H100_MIG_OFF = """
            gpu pci=0000:65:00.0 model=H100-80GB uuid=GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061 mig=off
            gpu pci=0000:ca:00.0 model=A100-80GB uuid=GPU-7c3b2e40-1f5d-4e9c-a081-2d3e4f506172 mig=off
            """;

    static final int H100_3G = 9;
    static final int H100_4G = 5;

    @TempDir
    Path dir;

    FakeAgentApi api;
    Nvml nvml;
    Mig mig;
    Sysfs sysfs;
    MigStore migStore;
    Reconciler reconciler;

    @BeforeEach
    void setUp() throws Exception {
        api = new FakeAgentApi();
        sysfs = new Sysfs(SimulatedHosts.bootMigBoards(dir), KernelFiles.load("vgpusim"));
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        mig = nvml.mig();
        migStore = new MigStore(dir.resolve("state"));
        reconciler = newReconciler();
    }

    @AfterEach
    void tearDown() {
        nvml.close();
        api.close();
    }

    @Test
    void aDesiredMigSliceBecomesAGpuInstanceAtItsPlacementRecordedBeforeReady() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 4, 4)));

        List<GpuInstance> instances = mig.instances(H100_PF);
        assertThat(instances).extracting(GpuInstance::profileId, GpuInstance::placement)
                .containsExactly(tuple(H100_3G, new Placement(4, 4)));
        assertThat(instances.get(0).migDeviceUuids()).singleElement().asString().startsWith("MIG-");
        assertThat(migStore.all()).containsExactly(
                new MigRecord(slice, H100_PF, H100_3G, "MIG 3g.40gb", 4, 4, instances.get(0).id()));
        assertThat(Files.exists(dir.resolve("state/mig/" + slice + ".json"))).isTrue();
        assertThat(api.observations()).containsExactly(slice + " READY");
        assertThat(api.received("POST", "/api/agent/v1/slices/").get(0).body().toString()).as("READY carries the MIG device UUID")
                .isEqualTo("{\"state\":\"READY\",\"migDeviceUuid\":\"" + instances.get(0).migDeviceUuids().get(0) + "\",\"reason\":null}");
    }

    @Test
    void reconcilingAgainOrAfterARestartIsIdempotent() {
        UUID slice = UUID.randomUUID();
        List<DesiredState.Slice> desired = List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "MIG 3g.40gb", 0, null));
        reconciler.reconcile(desired);
        reconciler.reconcile(desired);
        newReconciler().reconcile(desired);

        assertThat(mig.instances(H100_PF)).hasSize(1);
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " READY");
    }

    @Test
    void aConflictingPlacementFailsWithInsufficientResourcesAndRecordsNothing() {
        UUID big = UUID.randomUUID();
        UUID clash = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(big.toString(), H100_PF, "4g.40gb", 0, 4),
                DesiredState.Slice.mig(clash.toString(), H100_PF, "3g.40gb", 0, 4)));

        assertThat(mig.instances(H100_PF)).extracting(GpuInstance::profileId).containsExactly(H100_4G);
        assertThat(migStore.find(clash)).isEmpty();
        assertThat(api.observations()).containsExactly(big + " READY", clash + " FAILED");
        assertThat(reason(1)).contains("NVML_ERROR_INSUFFICIENT_RESOURCES");
    }

    @Test
    void aForbiddenStartFailsWithInvalidArgument() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 2, 4)));

        assertThat(mig.instances(H100_PF)).isEmpty();
        assertThat(reason(0)).contains("NVML_ERROR_INVALID_ARGUMENT").contains("[0, 4]");
    }

    @Test
    void aReleasedSliceIsDestroyedAndReportedAbsentWhileAForeignGpuInstanceIsLeftAlone() {
        GpuInstance foreign = mig.create(H100_PF, H100_3G, 0);
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 4, 4)));
        assertThat(mig.instances(H100_PF)).hasSize(2);

        reconciler.reconcile(List.of());

        assertThat(mig.instances(H100_PF)).containsExactly(foreign);
        assertThat(migStore.all()).isEmpty();
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " ABSENT");
        reconciler.reconcile(List.of());
        assertThat(mig.instances(H100_PF)).containsExactly(foreign);
        assertThat(api.observations()).hasSize(2);
    }

    @Test
    void releasingASliceWhoseInstanceVanishedLeavesAForeignOneAtTheSamePlacement() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 4, 4)));
        SimulatedHosts.resetGpu(H100_PF);
        mig.create(H100_PF, H100_4G, 0);
        GpuInstance foreign = mig.create(H100_PF, H100_3G, 4);
        assertThat(foreign.id()).isNotEqualTo(migStore.find(slice).orElseThrow().gpuInstanceId());

        reconciler.reconcile(List.of());

        assertThat(mig.instances(H100_PF)).hasSize(2).contains(foreign);
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " ABSENT");
        assertThat(migStore.all()).isEmpty();
    }

    @Test
    void aForeignGpuInstanceAtTheDesiredPlacementIsNotTakenOver() {
        GpuInstance foreign = mig.create(H100_PF, H100_3G, 4);
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 4, 4)));

        assertThat(reason(0)).contains("NVML_ERROR_INSUFFICIENT_RESOURCES").contains("not created for this slice");
        reconciler.reconcile(List.of());
        assertThat(mig.instances(H100_PF)).containsExactly(foreign);
    }

    @Test
    void enablingMigOnAmpereWaitsForAGpuResetAndFailsClearlyUntilThen() {
        UUID slice = UUID.randomUUID();
        List<DesiredState.Slice> desired = List.of(DesiredState.Slice.mig(slice.toString(), A100_80GB_PF, "3g.40gb", 4, 4));
        reconciler.reconcile(desired);

        assertThat(mig.mode(A100_80GB_PF)).isEqualTo(new MigMode(false, true));
        assertThat(api.observations()).containsExactly(slice + " FAILED");
        assertThat(reason(0)).startsWith("MIG mode change pending a GPU reset");
        assertThat(migStore.all()).isEmpty();

        SimulatedHosts.resetGpu(A100_80GB_PF);
        reconciler.reconcile(desired);

        assertThat(mig.instances(A100_80GB_PF)).extracting(GpuInstance::placement).containsExactly(new Placement(4, 4));
        assertThat(api.observations()).containsExactly(slice + " FAILED", slice + " READY");
    }

    @Test
    void hopperMigModeIsEnabledAtOnceWhenTheGpuHoldsNothing() {
        SimulatedHost.boot(SimulatedHosts.hostFile(dir.resolve("off"), H100_MIG_OFF), dir.resolve("off/sys"));
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "7g.80gb", 0, 8)));

        assertThat(mig.mode(H100_PF)).isEqualTo(new MigMode(true, true));
        assertThat(mig.instances(H100_PF)).hasSize(1);
        assertThat(api.observations()).containsExactly(slice + " READY");
    }

    @Test
    void theServersMigFieldsArriveThroughTheDesiredStateContract() {
        UUID slice = UUID.randomUUID();
        UUID vgpuLike = UUID.randomUUID();
        api.desire(List.of(
                Map.of("sliceId", slice.toString(), "kind", "MIG", "gpuPciAddress", H100_PF, "migProfile", "3g.40gb",
                        "migStartSlot", 4, "migSize", 4),
                FakeAgentApi.vgpuSlice(vgpuLike.toString(), H100_PF, H100_PF, "A40-8Q")));
        ServerClient server = new ServerClient(api.url(), FakeAgentApi.TOKEN);

        DesiredState state = server.desiredState(-1, Duration.ZERO);

        assertThat(state.slices().get(0)).isEqualTo(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 4, 4));
        assertThat(state.slices().get(1).migProfile()).isNull();
        reconciler.reconcile(state.slices());
        assertThat(mig.instances(H100_PF)).extracting(GpuInstance::placement).containsExactly(new Placement(4, 4));
        assertThat(api.observations()).containsExactly(slice + " READY", vgpuLike + " FAILED");
    }

    @Test
    void aDesiredSliceWhoseInstanceVanishedInAResetIsRecreatedByTheNextReconcile() {
        UUID slice = UUID.randomUUID();
        List<DesiredState.Slice> desired = List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "2g.20gb", 2, 2));
        reconciler.reconcile(desired);
        SimulatedHosts.resetGpu(H100_PF);

        newReconciler().reconcile(desired);

        GpuInstance recreated = mig.instances(H100_PF).get(0);
        assertThat(recreated.placement()).isEqualTo(new Placement(2, 2));
        assertThat(migStore.find(slice).orElseThrow().gpuInstanceId()).isEqualTo(recreated.id());
    }

    @Test
    void anInstanceCreatedJustBeforeACrashIsRecognisedFromItsIntentRecord() {
        UUID slice = UUID.randomUUID();
        migStore.save(new MigRecord(slice, H100_PF, H100_3G, "MIG 3g.40gb", 0, 4, -1));
        GpuInstance created = mig.create(H100_PF, H100_3G, 0);

        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 0, 4)));

        assertThat(mig.instances(H100_PF)).containsExactly(created);
        assertThat(migStore.find(slice).orElseThrow().gpuInstanceId()).isEqualTo(created.id());
        assertThat(api.observations()).containsExactly(slice + " READY");
    }

    @Test
    void withoutMigTheReconcilerStillRejectsMigSlices() {
        UUID slice = UUID.randomUUID();
        new Reconciler(sysfs, new SliceStore(dir.resolve("state")), new ServerClient(api.url(), FakeAgentApi.TOKEN))
                .reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 4, 4)));

        assertThat(mig.instances(H100_PF)).isEmpty();
        assertThat(reason(0)).isEqualTo("slice kind MIG is not supported by this agent version");
    }

    @Test
    void anUnknownProfileFailsWithItsName() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "5g.50gb", 0, null)));

        assertThat(reason(0)).isEqualTo("no MIG profile named 5g.50gb on " + H100_PF);
    }

    @Test
    void restoreAfterAGpuResetRecreatesEveryRecordedGpuInstanceAtItsPlacement() {
        UUID three = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(three.toString(), H100_PF, "3g.40gb", 0, 4),
                DesiredState.Slice.mig(two.toString(), H100_PF, "2g.20gb", 4, 2)));
        List<GpuInstance> before = mig.instances(H100_PF);
        assertThat(before).hasSize(2);

        SimulatedHosts.resetGpu(H100_PF);
        assertThat(mig.instances(H100_PF)).isEmpty();
        List<String> lines = new ArrayList<>();
        Restorer.Result result = new Restorer(sysfs, new SliceStore(dir.resolve("state")), Optional.empty(),
                Optional.of(new MigRestorer(mig, migStore))).restore(lines::add);

        assertThat(result.ok()).isTrue();
        assertThat(mig.instances(H100_PF)).extracting(GpuInstance::profileId, GpuInstance::placement)
                .containsExactly(tuple(H100_3G, new Placement(0, 4)), tuple(14, new Placement(4, 2)));
        assertThat(lines).anyMatch(l -> l.startsWith("restored mig " + three + " (3g.40gb at 0:4 on " + H100_PF + ")"))
                .anyMatch(l -> l.startsWith("restored mig " + two + " (2g.20gb at 4:2 on " + H100_PF + ")"))
                .contains("restore: 2 MIG instance(s) restored, 0 already present, 0 failed; MIG enabled on 0 GPU(s)");
        for (MigRecord r : migStore.all()) {
            assertThat(mig.instances(H100_PF)).anyMatch(i -> i.id() == r.gpuInstanceId() && i.placement().start() == r.start());
        }

        List<String> again = new ArrayList<>();
        new Restorer(sysfs, new SliceStore(dir.resolve("state")), Optional.empty(),
                Optional.of(new MigRestorer(mig, migStore))).restore(again::add);
        assertThat(again).contains("restore: 0 MIG instance(s) restored, 2 already present, 0 failed; MIG enabled on 0 GPU(s)");
    }

    @Test
    void restoreAfterAHopperRebootReenablesMigFirst() {
        Path hostFile = SimulatedHosts.hostFile(dir.resolve("off"), H100_MIG_OFF);
        SimulatedHost.boot(hostFile, dir.resolve("off/sys"));
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "4g.40gb", 0, 4)));
        assertThat(mig.instances(H100_PF)).hasSize(1);

        SimulatedHost.boot(hostFile, dir.resolve("off/sys"));
        assertThat(mig.mode(H100_PF)).isEqualTo(new MigMode(false, false));
        List<String> lines = new ArrayList<>();
        MigRestorer.Result result = new MigRestorer(mig, migStore).restore(lines::add);

        assertThat(result).isEqualTo(new MigRestorer.Result(1, 1, 0, 0));
        assertThat(lines.get(0)).isEqualTo("enabled  MIG on " + H100_PF);
        assertThat(mig.instances(H100_PF)).extracting(GpuInstance::placement).containsExactly(new Placement(0, 4));
    }

    @Test
    void restoreOnAmpereWithMigOffReportsThePendingReset() {
        SimulatedHosts.resetGpu(A100_80GB_PF);
        migStore.save(new MigRecord(UUID.randomUUID(), A100_80GB_PF, 9, "MIG 3g.40gb", 4, 4, 1));
        List<String> lines = new ArrayList<>();
        MigRestorer.Result result = new MigRestorer(mig, migStore).restore(lines::add);

        assertThat(result.failed()).isEqualTo(1);
        assertThat(lines).anyMatch(l -> l.startsWith("FAILED   mig ") && l.endsWith(": MIG mode change pending a GPU reset"));
    }

    private String reason(int index) {
        return api.received("POST", "/api/agent/v1/slices/").get(index).body().get("reason").asString();
    }

    private Reconciler newReconciler() {
        ServerClient server = new ServerClient(api.url(), FakeAgentApi.TOKEN);
        return new Reconciler(sysfs, new SliceStore(dir.resolve("state")), server, new MigReconciler(mig, migStore, server));
    }
}
