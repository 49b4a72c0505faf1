package io.vgpuhub.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.reconcile.PassthroughRecord;
import io.vgpuhub.agent.reconcile.PassthroughStore;
import io.vgpuhub.agent.reconcile.SliceRecord;
import io.vgpuhub.agent.reconcile.SliceStore;
import io.vgpuhub.agent.sim.SimulatedReboot;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * {@code restore} against the simulated host after a simulated reboot ({@link SimulatedReboot}: mdevs gone, VFs
 * disabled), with no server at all.
 */
class RestoreCommandTests {

    static final String GPU = SimulatedHosts.A40_PF;
    static final String VF0 = "0000:41:00.4";
    static final String VF1 = "0000:41:00.5";
    static final String SECOND_VF0 = "0000:c1:00.4";

    @TempDir
    Path dir;

    Path hostFile;
    Path stateDir;
    Path root;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() {
        hostFile = SimulatedHosts.hostFile(dir, SimulatedHosts.TWO_A40S);
        stateDir = dir.resolve("state");
        root = stateDir.resolve("sim/sys");
    }

    @Test
    void restoreAfterARebootBringsBackTheVfsAndEveryRecordedMdev() throws Exception {
        UUID fromServer = UUID.randomUUID();
        UUID byHand = UUID.randomUUID();
        UUID onSecondGpu = UUID.randomUUID();
        assertThat(run("mdev", "create", "--simulate=" + hostFile, "--state-dir", stateDir.toString(), "--parent", VF1,
                "--type", "A40-8Q", "--uuid", byHand.toString())).isZero();
        Sysfs sysfs = sysfs();
        SliceStore store = new SliceStore(stateDir);
        store.save(new SliceRecord(fromServer, "VGPU", GPU, VF0, "nvidia-557", "A40-8Q"));
        sysfs.createMdev(VF0, "nvidia-557", fromServer);
        store.save(new SliceRecord(onSecondGpu, "VGPU", SimulatedHosts.SECOND_A40_PF, SECOND_VF0, "nvidia-555", "A40-4Q"));
        sysfs.createMdev(SECOND_VF0, "nvidia-555", onSecondGpu);

        SimulatedReboot.reboot(root);
        assertThat(sysfs.mdevs()).isEmpty();
        assertThat(sysfs.numVfs(GPU)).isZero();
        assertThat(sysfs.virtualFunctions(GPU)).isEmpty();
        assertThat(sysfs.mdevParents()).isEmpty();

        assertThat(restore()).as("out:%n%s%nerr:%n%s", out, err).isZero();

        assertThat(sysfs.numVfs(GPU)).isEqualTo(16);
        assertThat(sysfs.numVfs(SimulatedHosts.SECOND_A40_PF)).isEqualTo(4);
        assertThat(sysfs.mdevs()).containsExactly(sorted(new Mdev(fromServer, VF0, "nvidia-557"), new Mdev(byHand, VF1, "nvidia-557"),
                new Mdev(onSecondGpu, SECOND_VF0, "nvidia-555")));
        assertThat(out.toString().lines())
                .contains("enabled  " + GPU + ": 16 VF(s) (wrote sriov_totalvfs 16 to sriov_numvfs)",
                        "enabled  " + SimulatedHosts.SECOND_A40_PF + ": 4 VF(s) (wrote sriov_totalvfs 4 to sriov_numvfs)",
                        "restored mdev " + fromServer + " (nvidia-557 A40-8Q on " + VF0 + ")",
                        "restored mdev " + byHand + " (nvidia-557 A40-8Q on " + VF1 + ")",
                        "restored mdev " + onSecondGpu + " (nvidia-555 A40-4Q on " + SECOND_VF0 + ")")
                .last().isEqualTo("restore: 3 mdev(s) restored, 0 already present, 0 failed; VFs enabled on 2 GPU(s)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void restoreIsIdempotent() {
        UUID slice = UUID.randomUUID();
        assertThat(run("mdev", "create", "--simulate=" + hostFile, "--state-dir", stateDir.toString(), "--parent", VF0,
                "--type", "A40-8Q", "--uuid", slice.toString())).isZero();
        SimulatedReboot.reboot(root);
        assertThat(restore()).isZero();
        Sysfs sysfs = sysfs();
        var before = io.vgpuhub.agent.support.TreeSnapshot.of(root);
        out.getBuffer().setLength(0);

        assertThat(restore()).isZero();

        assertThat(io.vgpuhub.agent.support.TreeSnapshot.of(root)).isEqualTo(before);
        assertThat(sysfs.mdevs()).containsExactly(new Mdev(slice, VF0, "nvidia-557"));
        assertThat(out.toString().lines()).containsExactly(
                "ok       " + GPU + ": 16 VF(s) already enabled",
                "ok       mdev " + slice + " (nvidia-557 A40-8Q on " + VF0 + ") already present",
                "restore: 0 mdev(s) restored, 1 already present, 0 failed; VFs enabled on 0 GPU(s)");
    }

    @Test
    void aTypeWithoutCapacityAfterTheRebootIsReportedWithTheKernelsErrnoAndExitsOne() {
        UUID slice = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        assertThat(run("mdev", "create", "--simulate=" + hostFile, "--state-dir", stateDir.toString(), "--parent", VF0,
                "--type", "A40-8Q", "--uuid", slice.toString())).isZero();
        assertThat(run("mdev", "create", "--simulate=" + hostFile, "--state-dir", stateDir.toString(), "--parent",
                SECOND_VF0, "--type", "A40-4Q", "--uuid", other.toString())).isZero();
        SimulatedReboot.reboot(root);
        // Someone enabled the VFs and took the GPU for a 4Q vGPU before restore ran: in equal-size mode an 8Q no longer fits.
        Sysfs sysfs = sysfs();
        sysfs.setNumVfs(GPU, 16);
        UUID squatter = UUID.randomUUID();
        sysfs.createMdev(VF1, "nvidia-555", squatter);

        assertThat(restore()).isEqualTo(1);

        assertThat(out.toString().lines())
                .contains("ok       " + GPU + ": 16 VF(s) already enabled",
                        "FAILED   mdev " + slice + " (nvidia-557 A40-8Q on " + VF0 + "): ENOSPC (No space left on device)",
                        "restored mdev " + other + " (nvidia-555 A40-4Q on " + SECOND_VF0 + ")")
                .last().isEqualTo("restore: 1 mdev(s) restored, 0 already present, 1 failed; VFs enabled on 1 GPU(s)");
        assertThat(sysfs.mdevs()).extracting(Mdev::uuid).containsExactlyInAnyOrder(squatter, other);
        assertThat(new SliceStore(stateDir).contains(slice)).as("a failed restore keeps the record for the next try").isTrue();
    }

    @Test
    void restoreBindsARecordedPassthroughGpuToVfioPciAgainAfterARebootAndThenFindsItBound() {
        hostFile = SimulatedHosts.hostFile(dir.resolve("kinds"), SimulatedHosts.ALL_KINDS);
        UUID slice = UUID.randomUUID();
        new PassthroughStore(stateDir).save(new PassthroughRecord(slice, SimulatedHosts.H100_PF, SimulatedHosts.H100_UUID,
                "NVIDIA H100 PCIe", 81559, 0));

        assertThat(restore()).as("out:%n%s%nerr:%n%s", out, err).isZero();

        PciDrivers drivers = sysfs().drivers();
        assertThat(drivers.driver(SimulatedHosts.H100_PF)).contains("vfio-pci");
        assertThat(out.toString().lines()).startsWith(
                "restored passthrough " + slice + " (" + SimulatedHosts.H100_PF + "): bound to vfio-pci",
                "restore: 1 passthrough binding(s) restored, 0 already present, 0 failed");

        out.getBuffer().setLength(0);
        assertThat(restore()).isZero();
        assertThat(out.toString().lines()).startsWith(
                "ok       passthrough " + slice + " (" + SimulatedHosts.H100_PF + ") already bound to vfio-pci");

        SimulatedReboot.reboot(root);
        assertThat(drivers.driver(SimulatedHosts.H100_PF)).contains("nvidia");
        assertThat(restore()).isZero();
        assertThat(drivers.driver(SimulatedHosts.H100_PF)).contains("vfio-pci");
    }

    @Test
    void restoreBindsTheAudioFunctionRecordedWithAPassthroughGpuAndARebootGivesItBackToItsDriver() {
        hostFile = SimulatedHosts.hostFile(dir.resolve("audio"), SimulatedHosts.ALL_KINDS.replace("mig=off", "mig=off audio=on"));
        String audio = "0000:65:00.1";
        UUID slice = UUID.randomUUID();
        new PassthroughStore(stateDir).save(new PassthroughRecord(slice, SimulatedHosts.H100_PF, SimulatedHosts.H100_UUID,
                "NVIDIA H100 PCIe", 81559, 0, java.util.List.of(new PassthroughRecord.Function(SimulatedHosts.H100_PF, "nvidia"),
                        new PassthroughRecord.Function(audio, "snd_hda_intel"))));

        assertThat(restore()).as("out:%n%s%nerr:%n%s", out, err).isZero();

        PciDrivers drivers = sysfs().drivers();
        assertThat(drivers.driver(SimulatedHosts.H100_PF)).contains("vfio-pci");
        assertThat(drivers.driver(audio)).contains("vfio-pci");
        assertThat(out.toString().lines()).startsWith("restored passthrough " + slice + " (" + SimulatedHosts.H100_PF + ", "
                + audio + "): bound to vfio-pci");

        SimulatedReboot.reboot(root);
        assertThat(drivers.driver(audio)).contains("snd_hda_intel");
        assertThat(drivers.driverOverride(audio)).isEmpty();
        assertThat(restore()).isZero();
        assertThat(drivers.driver(audio)).contains("vfio-pci");
    }

    @Test
    void withNothingRecordedRestoreDoesNothing() {
        assertThat(restore()).isZero();
        assertThat(out.toString().lines()).containsExactly("restore: 0 mdev(s) restored, 0 already present, 0 failed; VFs enabled on 0 GPU(s)");
        assertThat(Files.exists(stateDir.resolve("mdevctl.d"))).isFalse();
    }

    private int restore() {
        return run("restore", "--simulate=" + hostFile, "--state-dir", stateDir.toString());
    }

    private Sysfs sysfs() {
        return new Sysfs(root, KernelFiles.load("vgpusim"));
    }

    private static Mdev[] sorted(Mdev... mdevs) {
        java.util.Arrays.sort(mdevs, java.util.Comparator.comparing(Mdev::uuid));
        return mdevs;
    }

    private int run(String... args) {
        return AgentCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }
}
