package io.vgpuhub.agent.reconcile;

import static io.vgpuhub.agent.support.SimulatedHosts.A100_80GB_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.A40_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.H100_PF;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.sim.SimulatedReboot;
import io.vgpuhub.agent.support.SimulatedHosts;

/**
 * PASSTHROUGH slices through the Reconciler, the real sysfs code and JNA binding, against the simulated kernel's driver
 * core: bind to vfio-pci, give back to nvidia, restore after a reboot, refuse a GPU that holds devices, leave a binding
 * made by hand alone.
 */
class PassthroughReconcilerTests extends PassthroughTestSupport {

    @BeforeEach
    void setUp() throws Exception {
        boot(SimulatedHosts.ALL_KINDS);
    }

    @Test
    void aDesiredPassthroughSliceBindsTheGpuToVfioPciRecordsItAndIsReadyWithoutAUuid() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), H100_PF)));

        assertThat(drivers.driver(H100_PF)).contains("vfio-pci");
        assertThat(drivers.driverOverride(H100_PF)).contains("vfio-pci");
        assertThat(store.all()).containsExactly(
                new PassthroughRecord(slice, H100_PF, SimulatedHosts.H100_UUID, "NVIDIA H100 PCIe", 81559, 0));
        assertThat(dir.resolve("state/passthrough/" + slice + ".json")).exists();
        assertThat(nvml.gpus()).extracting(GpuInfo::pciAddress).doesNotContain(H100_PF);
        assertThat(api.observations()).containsExactly(slice + " READY");
        assertThat(api.received("POST", "/api/agent/v1/slices/").get(0).body().toString())
                .isEqualTo("{\"state\":\"READY\",\"reason\":null}");

        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), H100_PF)));
        newReconciler().reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), H100_PF)));
        assertThat(api.observations()).as("once per reconciler").containsExactly(slice + " READY", slice + " READY");
    }

    @Test
    void aSliceNoLongerDesiredGivesTheGpuBackToNvidiaAndIsReportedAbsent() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), H100_PF)));

        reconciler.reconcile(List.of());

        assertThat(drivers.driver(H100_PF)).contains("nvidia");
        assertThat(drivers.driverOverride(H100_PF)).isEmpty();
        assertThat(store.all()).isEmpty();
        assertThat(nvml.gpu(H100_PF).uuid()).isEqualTo(SimulatedHosts.H100_UUID);
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " ABSENT");
        assertThat(api.received("POST", "/api/agent/v1/slices/").get(1).body().toString()).isEqualTo("{\"state\":\"ABSENT\"}");
    }

    @Test
    void anSriovGpuLosesItsVfsWhilePassedThroughAndGetsThemBackAfterwards() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), A40_PF)));

        assertThat(drivers.driver(A40_PF)).contains("vfio-pci");
        assertThat(sysfs.numVfs(A40_PF)).isZero();
        assertThat(store.find(slice).orElseThrow().vfsBefore()).isEqualTo(4);

        reconciler.reconcile(List.of());
        assertThat(drivers.driver(A40_PF)).contains("nvidia");
        assertThat(sysfs.numVfs(A40_PF)).isEqualTo(4);
        assertThat(sysfs.mdevParents()).hasSize(4);
    }

    @Test
    void aGpuThatHoldsAnMdevOrAMigInstanceIsNotPassedThrough() {
        UUID mdev = UUID.randomUUID();
        sysfs.createMdev("0000:41:00.5", "nvidia-557", mdev);
        nvml.mig().create(A100_80GB_PF, 19, 6);
        UUID onA40 = UUID.randomUUID();
        UUID onA100 = UUID.randomUUID();

        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(onA40.toString(), A40_PF),
                DesiredState.Slice.passthrough(onA100.toString(), A100_80GB_PF)));

        assertThat(api.observations()).containsExactly(onA40 + " FAILED", onA100 + " FAILED");
        assertThat(reasons()).anySatisfy(r -> assertThat(r).isEqualTo("GPU " + A40_PF + " holds 1 device(s) (mdev " + mdev
                + " on 0000:41:00.5): passthrough needs an empty GPU"));
        assertThat(reasons()).anySatisfy(r -> assertThat(r).startsWith("GPU " + A100_80GB_PF + " holds 1 device(s) (MIG GPU instance"));
        assertThat(drivers.driver(A40_PF)).contains("nvidia");
        assertThat(drivers.driverOverride(A40_PF)).isEmpty();
        assertThat(drivers.driver(A100_80GB_PF)).contains("nvidia");
        assertThat(sysfs.mdevs()).hasSize(1);
        assertThat(nvml.mig().instances(A100_80GB_PF)).hasSize(1);
        assertThat(store.all()).isEmpty();
    }

    @Test
    void aBindingMadeByHandIsReportedAndNeverUndone() {
        drivers.setDriverOverride(H100_PF, "vfio-pci");
        drivers.unbind(H100_PF);
        drivers.probe(H100_PF);
        UUID slice = UUID.randomUUID();

        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), H100_PF)));
        assertThat(reasons()).containsExactly("GPU " + H100_PF + " is bound to vfio-pci by someone else, not by this agent: left alone");
        reconciler.reconcile(List.of());

        assertThat(drivers.driver(H100_PF)).contains("vfio-pci");
        assertThat(drivers.driverOverride(H100_PF)).contains("vfio-pci");
        assertThat(reconciler.foreignDevices()).containsExactly("GPU " + H100_PF + " bound to vfio-pci (not by this agent)");
        assertThat(api.observations()).containsExactly(slice + " FAILED");
    }

    @Test
    void aBindingInterruptedByACrashIsFinishedFromItsRecord() {
        UUID slice = UUID.randomUUID();
        store.save(new PassthroughRecord(slice, H100_PF, SimulatedHosts.H100_UUID, "NVIDIA H100 PCIe", 81559, 0));
        drivers.setDriverOverride(H100_PF, "vfio-pci");
        drivers.unbind(H100_PF);     // the agent died before drivers_probe

        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), H100_PF)));

        assertThat(drivers.driver(H100_PF)).contains("vfio-pci");
        assertThat(api.observations()).containsExactly(slice + " READY");
        assertThat(reconciler.foreignDevices()).isEmpty();
    }

    @Test
    void withoutTheVfioPciDriverTheSliceFailsBeforeAnythingIsTouched() throws Exception {
        java.nio.file.Files.walk(root.resolve("bus/pci/drivers/vfio-pci")).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());     // the vfio-pci module is not loaded
        UUID slice = UUID.randomUUID();

        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), H100_PF)));

        assertThat(reasons()).singleElement().asString().startsWith("GPU " + H100_PF
                + " cannot be passed through on this host, nothing was touched: the vfio-pci driver is not loaded");
        assertThat(drivers.driver(H100_PF)).contains("nvidia");
        assertThat(drivers.driverOverride(H100_PF)).isEmpty();
        assertThat(store.all()).isEmpty();
    }

    @Test
    void restoreBindsRecordedGpusAgainAfterAReboot() {
        UUID h100 = UUID.randomUUID();
        UUID a40 = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(h100.toString(), H100_PF),
                DesiredState.Slice.passthrough(a40.toString(), A40_PF)));

        SimulatedReboot.reboot(root);
        assertThat(drivers.driver(H100_PF)).contains("nvidia");
        assertThat(drivers.driverOverride(H100_PF)).isEmpty();
        sysfs.setNumVfs(A40_PF, 4);     // sriov-manage -e ALL at boot
        List<String> lines = new ArrayList<>();

        Restorer.Result result = passthrough().restore(lines::add);

        assertThat(result.failed()).isZero();
        assertThat(drivers.driver(H100_PF)).contains("vfio-pci");
        assertThat(drivers.driver(A40_PF)).contains("vfio-pci");
        assertThat(sysfs.numVfs(A40_PF)).isZero();
        assertThat(lines).contains("restored passthrough " + h100 + " (" + H100_PF + "): bound to vfio-pci",
                "restore: 2 passthrough binding(s) restored, 0 already present, 0 failed");
        assertThat(store.find(a40).orElseThrow().vfsBefore()).as("the VFs come back when the slice ends").isEqualTo(4);

        List<String> again = new ArrayList<>();
        passthrough().restore(again::add);
        assertThat(again).contains("restore: 0 passthrough binding(s) restored, 2 already present, 0 failed");
    }

    @Test
    void theRunningAgentRebindsRecordedGpusAtStartEvenWithoutTheServer() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), H100_PF)));
        SimulatedReboot.reboot(root);

        newReconciler().restoreRecorded();

        assertThat(drivers.driver(H100_PF)).contains("vfio-pci");
    }

    @Test
    void restoreLeavesAGpuThatNowHoldsDevicesAloneAndCountsItFailed() {
        UUID slice = UUID.randomUUID();
        store.save(new PassthroughRecord(slice, A100_80GB_PF, null, null, 0, 0));
        nvml.mig().create(A100_80GB_PF, 9, 0);
        List<String> lines = new ArrayList<>();

        Restorer.Result result = passthrough().restore(lines::add);

        assertThat(result.failed()).isEqualTo(1);
        assertThat(lines.get(0)).startsWith("FAILED   passthrough " + slice + " (" + A100_80GB_PF + "): GPU " + A100_80GB_PF + " holds 1");
        assertThat(drivers.driver(A100_80GB_PF)).contains("nvidia");
    }
}
