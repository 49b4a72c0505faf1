package io.vgpuhub.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The reconciler against the simulated host and a real HTTP server speaking the agent contract. */
class ReconcilerTests {

    static final String GPU = SimulatedHosts.A40_PF;
    static final String VF0 = "0000:41:00.4";
    static final String VF1 = "0000:41:00.5";

    @TempDir
    Path dir;

    FakeAgentApi api;
    Sysfs sysfs;
    SliceStore store;
    Reconciler reconciler;

    @BeforeEach
    void setUp() throws Exception {
        api = new FakeAgentApi();
        sysfs = new Sysfs(SimulatedHosts.bootTwoA40s(dir), KernelFiles.load("vgpusim"));
        store = new SliceStore(dir.resolve("state"));
        reconciler = newReconciler();
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void aDesiredSliceBecomesAnMdevAndIsReportedReady() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));

        assertThat(sysfs.mdevs()).containsExactly(new Mdev(slice, VF0, "nvidia-557"));
        assertThat(store.all()).containsExactly(new SliceRecord(slice, "VGPU", GPU, VF0, "nvidia-557", "A40-8Q"));
        FakeAgentApi.Received report = api.received("POST", "/api/agent/v1/slices/").get(0);
        assertThat(report.path()).isEqualTo("/api/agent/v1/slices/" + slice + "/observed");
        assertThat(report.authorization()).isEqualTo("Bearer " + FakeAgentApi.TOKEN);
        assertThat(report.body().toString()).isEqualTo("{\"state\":\"READY\",\"mdevUuid\":\"" + slice + "\",\"reason\":null}");
        assertThat(reconciler.readySlices()).containsExactly(new ReadySlice(slice, GPU, slice, 8192));
    }

    @Test
    void reconcilingAgainChangesNothingAndReportsNothingNew() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));

        assertThat(sysfs.mdevs()).hasSize(1);
        assertThat(api.observations()).containsExactly(slice + " READY");
    }

    @Test
    void anExistingMdevOfTheRightTypeIsReportedReadyAfterARestart() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));

        Reconciler restarted = newReconciler();
        restarted.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));

        assertThat(sysfs.mdevs()).hasSize(1);
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " READY");
    }

    @Test
    void aSliceNoLongerDesiredIsRemovedAndReportedAbsent() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        reconciler.reconcile(List.of());

        assertThat(sysfs.mdevs()).isEmpty();
        assertThat(store.all()).isEmpty();
        assertThat(reconciler.readySlices()).isEmpty();
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " ABSENT");
        assertThat(api.received("POST", "/api/agent/v1/slices/").get(1).body().toString()).isEqualTo("{\"state\":\"ABSENT\"}");
    }

    @Test
    void mdevsTheAgentDidNotCreateAreLeftAlone() {
        UUID foreign = UUID.randomUUID();
        sysfs.createMdev(VF1, "nvidia-557", foreign);

        reconciler.reconcile(List.of());

        assertThat(sysfs.mdevs()).extracting(Mdev::uuid).containsExactly(foreign);
        assertThat(api.observations()).isEmpty();
        assertThat(reconciler.foreignDevices()).containsExactly("mdev " + foreign + " (nvidia-557 on " + VF1 + ")");

        sysfs.removeMdev(foreign);
        reconciler.reconcile(List.of());
        assertThat(reconciler.foreignDevices()).isEmpty();
    }

    @Test
    void foreignMdevsSurviveEveryReconcileBesideTheAgentsOwnAndGetNoSliceReports() {
        UUID foreign = UUID.randomUUID();
        UUID ours = UUID.randomUUID();
        sysfs.createMdev(VF1, "nvidia-557", foreign);

        reconciler.reconcile(List.of(vgpu(ours, VF0, "A40-8Q")));
        reconciler.reconcile(List.of());
        newReconciler().reconcile(List.of());

        assertThat(sysfs.mdevs()).containsExactly(new Mdev(foreign, VF1, "nvidia-557"));
        assertThat(store.contains(foreign)).isFalse();
        assertThat(api.observations()).containsExactly(ours + " READY", ours + " ABSENT");
    }

    @Test
    void aForeignMdevIsLoggedOnceByEachReconciler() {
        UUID foreign = UUID.randomUUID();
        sysfs.createMdev(VF1, "nvidia-557", foreign);
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(VgpuReconciler.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(logged);
        try {
            reconciler.reconcile(List.of());
            reconciler.reconcile(List.of());
        }
        finally {
            logger.detachAppender(logged);
            logger.setLevel(level);
        }

        assertThat(logged.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).containsExactly(
                "foreign mdev " + foreign + " (nvidia-557 on " + VF1 + ") was not created by this agent: left alone, never removed");
    }

    @Test
    void mdevsAnOperatorCreatedWithTheCliAreRecordedButNeverRemovedByTheReconciler() {
        UUID manual = UUID.randomUUID();
        store.save(new SliceRecord(manual, "VGPU", GPU, VF1, "nvidia-557", "A40-8Q", SliceRecord.ORIGIN_CLI));
        sysfs.createMdev(VF1, "nvidia-557", manual);

        reconciler.reconcile(List.of());
        sysfs.removeMdev(manual);
        reconciler.reconcile(List.of());

        assertThat(store.contains(manual)).isTrue();
        assertThat(api.observations()).isEmpty();
    }

    @Test
    void aFailingCreateIsReportedFailedWithTheKernelsErrno() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(first, VF0, "A40-8Q"), vgpu(second, VF0, "A40-8Q")));

        FakeAgentApi.Received failed = api.received("POST", "/api/agent/v1/slices/" + second).get(0);
        assertThat(failed.body().get("state").asString()).isEqualTo("FAILED");
        assertThat(failed.body().get("reason").asString()).endsWith("failed: ENOSPC (No space left on device)");
        assertThat(failed.body().has("mdevUuid")).isFalse();
        assertThat(store.all()).extracting(SliceRecord::sliceId).containsExactly(first);
        assertThat(reconciler.readySlices()).extracting(ReadySlice::sliceId).containsExactly(first);
    }

    @Test
    void anUnknownProfileIsReportedFailed() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A100-1-5C")));

        assertThat(api.received("POST", "/api/agent/v1/slices/").get(0).body().get("reason").asString())
                .isEqualTo("no mdev type named A100-1-5C on " + VF0);
        assertThat(sysfs.mdevs()).isEmpty();
    }

    @Test
    void recordedSlicesAreRecreatedAfterAHostRebootWithoutTheServer() {
        UUID slice = UUID.randomUUID();
        reconciler.reconcile(List.of(vgpu(slice, VF0, "A40-8Q")));
        sysfs.removeMdev(slice);   // what a reboot does to mdevs

        newReconciler().restoreRecorded();

        assertThat(sysfs.mdevs()).containsExactly(new Mdev(slice, VF0, "nvidia-557"));
    }

    private Reconciler newReconciler() {
        return new Reconciler(sysfs, store, new ServerClient(api.url(), FakeAgentApi.TOKEN));
    }

    private static DesiredState.Slice vgpu(UUID sliceId, String vf, String type) {
        return new DesiredState.Slice(sliceId.toString(), "VGPU", GPU, vf, type);
    }
}
