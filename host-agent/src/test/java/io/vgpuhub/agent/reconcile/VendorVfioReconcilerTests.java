package io.vgpuhub.agent.reconcile;

import static io.vgpuhub.agent.sysfs.VendorVfioHosts.A40_1Q;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.A40_8Q;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.GPU;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.VF0;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.VF1;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.VF2;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.sim.SimulatedReboot;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.VendorVfioHosts;
import io.vgpuhub.agent.sysfs.VgpuFramework;

/** The reconciler and the restorer on a simulated vendor-VFIO host, with a real HTTP server speaking the agent contract. */
class VendorVfioReconcilerTests {

    @TempDir
    Path dir;

    FakeAgentApi api;
    Sysfs sysfs;
    SliceStore store;
    Reconciler reconciler;

    @BeforeEach
    void setUp() throws Exception {
        api = new FakeAgentApi();
        sysfs = new Sysfs(VendorVfioHosts.boot(dir), KernelFiles.load("vgpusim"));
        store = new SliceStore(dir.resolve("state"));
        reconciler = newReconciler();
        assertThat(sysfs.framework()).isEqualTo(VgpuFramework.VENDOR_VFIO);
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void aDesiredSliceSetsTheVfsTypeIsRecordedAsVendorVfioAndReportedReady() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));

        assertThat(sysfs.currentVgpuType(VF0)).isEqualTo(A40_8Q);
        assertThat(sysfs.mdevs()).isEmpty();
        assertThat(store.all()).containsExactly(new SliceRecord(slice, "VGPU", GPU, VF0, "nvidia-557", "A40-8Q",
                SliceRecord.ORIGIN_SERVER, SliceRecord.FRAMEWORK_VENDOR_VFIO));
        assertThat(store.mdevctlDir()).doesNotExist();
        assertThat(api.received("POST", "/api/agent/v1/slices/").get(0).body().toString())
                .isEqualTo("{\"state\":\"READY\",\"mdevUuid\":\"" + slice + "\",\"reason\":null}");
        assertThat(reconciler.readySlices()).containsExactly(new ReadySlice(slice, GPU, slice, 8192));
    }

    @Test
    void reconcilingAgainOrAfterARestartKeepsTheVgpuAndReportsReadyOncePerReconciler() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        newReconciler().reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));

        assertThat(sysfs.currentVgpuType(VF0)).isEqualTo(A40_8Q);
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " READY");
    }

    @Test
    void aSliceNoLongerDesiredIsClearedWithZeroAndReportedAbsent() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        reconciler.reconcile(List.of());

        assertThat(sysfs.currentVgpuType(VF0)).isZero();
        assertThat(sysfs.creatableVgpuTypes(VF1)).hasSize(19);
        assertThat(store.all()).isEmpty();
        assertThat(reconciler.readySlices()).isEmpty();
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " ABSENT");
        assertThat(api.received("POST", "/api/agent/v1/slices/").get(1).body().toString()).isEqualTo("{\"state\":\"ABSENT\"}");
    }

    @Test
    void vfsWithATypeTheAgentDidNotSetAreLeftAloneAndNeverReported() {
        sysfs.setVgpuType(VF1, A40_8Q);
        UUID ours = UUID.randomUUID();

        reconciler.reconcile(List.of(vgpu(ours, VF0, "A40-8Q")));
        reconciler.reconcile(List.of());
        newReconciler().reconcile(List.of());

        assertThat(sysfs.currentVgpuType(VF1)).isEqualTo(A40_8Q);
        assertThat(sysfs.currentVgpuType(VF0)).isZero();
        assertThat(api.observations()).containsExactly(ours + " READY", ours + " ABSENT");
    }

    @Test
    void aSliceOnAVfThatAlreadyRunsAForeignVgpuFailsAndLeavesItAlone() {
        sysfs.setVgpuType(VF1, A40_8Q);
        UUID slice = UUID.randomUUID();

        reconciler.reconcile(List.of(vgpu(slice, VF1, "A40-8Q")));

        assertThat(reason(slice)).isEqualTo("VF " + VF1 + " already runs vGPU type 557, not set for this slice");
        assertThat(store.all()).isEmpty();
        reconciler.reconcile(List.of());
        assertThat(sysfs.currentVgpuType(VF1)).isEqualTo(A40_8Q);
    }

    @Test
    void aTypeTheSiblingsNoLongerAllowIsReportedFailedWithWhatIsCreatable() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(first, VF0, "A40-8Q"), vgpu(second, VF1, "A40-1Q")));

        assertThat(reason(second)).isEqualTo("vGPU type A40-1Q is not creatable on VF " + VF1 + " now (creatable: A40-8Q, A40-8C)");
        assertThat(store.all()).extracting(SliceRecord::sliceId).containsExactly(first);
        assertThat(reconciler.readySlices()).extracting(ReadySlice::sliceId).containsExactly(first);
    }

    @Test
    void aSliceWithoutAVfIsReportedFailed() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(new DesiredState.Slice(slice.toString(), "VGPU", GPU, null, "A40-8Q")));

        assertThat(reason(slice)).startsWith("this host uses NVIDIA's vendor-specific VFIO framework");
    }

    @Test
    void aSliceMovedToAnotherVfReleasesTheOldOne() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        reconciler.reconcile(List.of(vgpu(slice, VF2, "A40-1Q")));

        assertThat(sysfs.currentVgpuType(VF0)).isZero();
        assertThat(sysfs.currentVgpuType(VF2)).isEqualTo(A40_1Q);
        assertThat(store.find(slice)).get().extracting(SliceRecord::parent).isEqualTo(VF2);
    }

    @Test
    void restoreBringsTheRecordedTypesBackAfterASimulatedReboot() {
        UUID slice = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q"), vgpu(other, VF1, "A40-8Q")));
        SimulatedReboot.reboot(sysfs.root());
        assertThat(sysfs.numVfs(GPU)).isZero();
        assertThat(sysfs.vendorVfioFunctions()).isEmpty();

        List<String> lines = new ArrayList<>();
        Restorer.Result result = new Restorer(sysfs, store, Optional.empty()).restore(lines::add);

        assertThat(result).isEqualTo(new Restorer.Result(1, 2, 0, 0));
        assertThat(sysfs.currentVgpuType(VF0)).isEqualTo(A40_8Q);
        assertThat(sysfs.currentVgpuType(VF1)).isEqualTo(A40_8Q);
        assertThat(lines).contains("enabled  " + GPU + ": 4 VF(s) (wrote sriov_totalvfs 4 to sriov_numvfs)",
                "restored vGPU " + slice + " (nvidia-557 A40-8Q on VF " + VF0 + ")");

        Restorer.Result again = new Restorer(sysfs, store, Optional.empty()).restore(lines::add);
        assertThat(again).isEqualTo(new Restorer.Result(0, 0, 2, 0));

        newReconciler().reconcile(List.of(vgpu(slice, VF0, "A40-8Q"), vgpu(other, VF1, "A40-8Q")));
        assertThat(api.observations()).containsExactly(slice + " READY", other + " READY", slice + " READY", other + " READY");
    }

    @Test
    void restoreLeavesAVfThatRunsAnotherTypeAloneAndCountsItFailed() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        SimulatedReboot.reboot(sysfs.root());
        sysfs.setNumVfs(GPU, 4);
        sysfs.setVgpuType(VF0, A40_1Q);

        List<String> lines = new ArrayList<>();
        Restorer.Result result = new Restorer(sysfs, store, Optional.empty()).restore(lines::add);

        assertThat(result.failed()).isEqualTo(1);
        assertThat(sysfs.currentVgpuType(VF0)).isEqualTo(A40_1Q);
        assertThat(lines).contains("FAILED   vGPU " + slice + " (nvidia-557 A40-8Q on VF " + VF0 + "): the VF runs vGPU type 552");
    }

    @Test
    void theAgentsOwnRestoreAtStartupRewritesRecordedTypesOnFreeVfs() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        sysfs.clearVgpuType(VF0);   // what a reboot and sriov-manage -e leave behind

        newReconciler().restoreRecorded();

        assertThat(sysfs.currentVgpuType(VF0)).isEqualTo(A40_8Q);
    }

    @Test
    void aVendorVfioRecordSurvivesTheStoreWithoutAnMdevctlFile() throws Exception {
        UUID slice = UUID.randomUUID();
        store.save(SliceRecord.vendorVfio(slice, "VGPU", GPU, VF0, A40_8Q, "A40-8Q"));

        assertThat(store.migrate()).isZero();
        assertThat(store.find(slice)).get().extracting(SliceRecord::usesVendorVfio, SliceRecord::vgpuTypeNumber)
                .containsExactly(true, A40_8Q);
        assertThat(Files.readString(dir.resolve("state/slices/" + slice + ".json"))).contains("\"framework\":\"vendor-vfio\"");
        assertThat(store.mdevctlDir()).doesNotExist();
    }

    private String reason(UUID slice) {
        return api.received("POST", "/api/agent/v1/slices/" + slice).get(0).body().get("reason").asString();
    }

    private Reconciler newReconciler() {
        return new Reconciler(sysfs, store, new ServerClient(api.url(), FakeAgentApi.TOKEN));
    }

    private static DesiredState.Slice vgpu(UUID sliceId, String vf, String type) {
        return new DesiredState.Slice(sliceId.toString(), "VGPU", GPU, vf, type);
    }
}
