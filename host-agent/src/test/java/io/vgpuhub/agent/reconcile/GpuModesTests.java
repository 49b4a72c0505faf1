package io.vgpuhub.agent.reconcile;

import static io.vgpuhub.agent.support.SimulatedHosts.A100_80GB_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.H100_PF;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vgpuhub.agent.nvml.GpuInstance;
import io.vgpuhub.agent.nvml.Mig;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.DesiredState.GpuMode;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The operator's mode per GPU in the desired state: MIG mode follows it, only while the GPU holds nothing. */
class GpuModesTests {

    @TempDir
    Path dir;

    FakeAgentApi api;
    Nvml nvml;
    Mig mig;
    Sysfs sysfs;
    Reconciler reconciler;

    @BeforeEach
    void setUp() throws Exception {
        Path root = dir.resolve("sys");
        SimulatedHost.boot(SimulatedHosts.hostFile(dir, SimulatedHosts.ALL_KINDS), root);
        api = new FakeAgentApi();
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        mig = nvml.mig();
        sysfs = new Sysfs(root, KernelFiles.load("vgpusim"));
        ServerClient server = new ServerClient(api.url(), FakeAgentApi.TOKEN);
        reconciler = new Reconciler(sysfs, new SliceStore(dir.resolve("state")), server,
                new MigReconciler(mig, new MigStore(dir.resolve("state")), server),
                new PassthroughReconciler(sysfs, new PassthroughStore(dir.resolve("state")), server, nvml,
                        new GpuDevices(sysfs, mig), Optional.empty()));
    }

    @AfterEach
    void tearDown() {
        nvml.close();
        api.close();
    }

    @Test
    void anEmptyGpuIsSwitchedToTheOperatorsModeWithoutAnySlice() {
        reconciler.reconcile(state(List.of(), new GpuMode(H100_PF, "MIG"), new GpuMode(A100_80GB_PF, "PASSTHROUGH")));

        assertThat(mig.mode(H100_PF)).as("Hopper applies at once").isEqualTo(new MigMode(true, true));
        assertThat(mig.mode(A100_80GB_PF)).as("Ampere waits for a GPU reset").isEqualTo(new MigMode(true, false));
        SimulatedHosts.resetGpu(A100_80GB_PF);
        assertThat(mig.mode(A100_80GB_PF)).isEqualTo(new MigMode(false, false));
        assertThat(api.observations()).isEmpty();
    }

    @Test
    void aGpuThatHoldsInstancesKeepsItsModeAndTheConflictIsLoggedOnceUntilItChanges() {
        GpuInstance foreign = mig.create(A100_80GB_PF, 9, 0);
        List<ILoggingEvent> logged = capture(() -> {
            reconciler.reconcile(state(List.of(), new GpuMode(A100_80GB_PF, "VGPU")));
            reconciler.reconcile(state(List.of(), new GpuMode(A100_80GB_PF, "VGPU")));
        });

        assertThat(mig.mode(A100_80GB_PF)).isEqualTo(new MigMode(true, true));
        assertThat(mig.instances(A100_80GB_PF)).containsExactly(foreign);
        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .startsWith("the operator wants GPU " + A100_80GB_PF + " in mode VGPU but it holds 1 device(s) (MIG GPU instance")
                .endsWith("MIG stays enabled, retried on each reconcile");

        mig.destroy(A100_80GB_PF, foreign.id());
        reconciler.reconcile(state(List.of(), new GpuMode(A100_80GB_PF, "VGPU")));
        assertThat(mig.mode(A100_80GB_PF)).as("retried once the GPU is empty").isEqualTo(new MigMode(true, false));
    }

    @Test
    void oneDesiredStateTakesAGpuFromMigSlicesToPassthroughInOnePass() {
        UUID migSlice = UUID.randomUUID();
        reconciler.reconcile(state(List.of(DesiredState.Slice.mig(migSlice.toString(), H100_PF, "3g.40gb", 4, 4)),
                new GpuMode(H100_PF, "MIG")));
        assertThat(mig.instances(H100_PF)).hasSize(1);

        UUID whole = UUID.randomUUID();
        reconciler.reconcile(state(List.of(DesiredState.Slice.passthrough(whole.toString(), H100_PF)),
                new GpuMode(H100_PF, "PASSTHROUGH")));

        assertThat(api.observations()).containsExactly(migSlice + " READY", migSlice + " ABSENT", whole + " READY");
        assertThat(sysfs.drivers().driver(H100_PF)).contains("vfio-pci");
    }

    @Test
    void aMigSliceOnAGpuTheOperatorSetToAnotherModeFailsWithThatReason() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(state(List.of(DesiredState.Slice.mig(slice.toString(), H100_PF, "3g.40gb", 4, 4)),
                new GpuMode(H100_PF, "PASSTHROUGH")));

        assertThat(mig.instances(H100_PF)).isEmpty();
        assertThat(mig.mode(H100_PF)).isEqualTo(new MigMode(false, false));
        assertThat(api.received("POST", "/api/agent/v1/slices/").get(0).body().get("reason").asString())
                .isEqualTo("the operator set GPU " + H100_PF + " to mode PASSTHROUGH; a MIG slice needs mode MIG");
    }

    @Test
    void theDesiredStateContractCarriesTheGpuModesAndIgnoresFieldsItDoesNotKnow() {
        api.desire(List.of(FakeAgentApi.migSlice(UUID.randomUUID().toString(), H100_PF, "7g.80gb", 0, 8)),
                List.of(FakeAgentApi.gpuMode(H100_PF, "MIG"), FakeAgentApi.gpuMode(A100_80GB_PF, "MIG")));

        DesiredState state = new ServerClient(api.url(), FakeAgentApi.TOKEN).desiredState(-1, java.time.Duration.ZERO);

        assertThat(state.gpus()).containsExactly(new GpuMode(H100_PF, "MIG"), new GpuMode(A100_80GB_PF, "MIG"));
        reconciler.reconcile(state);
        assertThat(mig.instances(H100_PF)).extracting(GpuInstance::profileId).containsExactly(0);
        assertThat(api.observations()).singleElement().asString().endsWith(" READY");
    }

    private static DesiredState state(List<DesiredState.Slice> slices, GpuMode... modes) {
        return new DesiredState(1, slices, List.of(modes));
    }

    private static List<ILoggingEvent> capture(Runnable action) {
        Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger(GpuModes.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        try {
            action.run();
        }
        finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
        return appender.list;
    }
}
