package io.vgpuhub.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.Test;

import io.vgpuhub.agent.natives.NativeLibraries;
import io.vgpuhub.agent.server.DesiredState;
import io.vgpuhub.agent.sim.SimulatedReboot;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelWriteException;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Procfs;

/**
 * A passthrough takes the GPU's whole IOMMU group: its audio function goes to vfio-pci with it and back to
 * snd_hda_intel; a group shared with another device, a host without IOMMU or vfio-pci, and a GPU that host processes use
 * are refused with nothing touched; a release waits while a VM holds the device; a reboot and {@code restore} bind every
 * function again. The real sysfs code and JNA binding against the simulated kernel's driver core.
 */
class PassthroughGroupTests extends PassthroughTestSupport {

    static final String A40 = SimulatedHosts.A40_PF;
    static final String A40_AUDIO = "0000:41:00.1";
    static final String H100 = SimulatedHosts.H100_PF;
    static final String H100_AUDIO = "0000:65:00.1";
    static final String SHARED = "0000:c1:00.0";
    static final String NIC = "0000:c2:00.0";

    static final String HOST = """
            gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f vfs=4 audio=on
            gpu pci=0000:65:00.0 model=H100-80GB uuid=GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061 mig=off audio=on
            gpu pci=0000:c1:00.0 model=A40 uuid=GPU-7e51d0a2-4c9b-4f3e-8a6d-2b3c4d5e6f70 group_with=0000:c2:00.0
            """;

    @Test
    void theAudioFunctionGoesToVfioPciWithTheGpuAndEachGoesBackToItsOwnDriver() throws Exception {
        boot(HOST);
        UUID slice = UUID.randomUUID();

        reconcile(slice, A40);

        assertThat(drivers.driver(A40)).contains(PciDrivers.VFIO_PCI);
        assertThat(drivers.driver(A40_AUDIO)).contains(PciDrivers.VFIO_PCI);
        assertThat(drivers.driverOverride(A40_AUDIO)).contains(PciDrivers.VFIO_PCI);
        assertThat(sysfs.numVfs(A40)).isZero();
        PassthroughRecord record = store.find(slice).orElseThrow();
        assertThat(record.functions()).containsExactly(new PassthroughRecord.Function(A40, "nvidia"),
                new PassthroughRecord.Function(A40_AUDIO, "snd_hda_intel"));
        assertThat(record.vfsBefore()).isEqualTo(4);
        assertThat(Files.readString(dir.resolve("state/passthrough/" + slice + ".json")))
                .contains("\"functions\":[{\"address\":\"0000:41:00.0\",\"driver\":\"nvidia\"},"
                        + "{\"address\":\"0000:41:00.1\",\"driver\":\"snd_hda_intel\"}]")
                .doesNotContain("addresses");
        assertThat(api.observations()).containsExactly(slice + " READY");

        reconciler.reconcile(List.of());

        assertThat(drivers.driver(A40)).contains("nvidia");
        assertThat(drivers.driver(A40_AUDIO)).contains("snd_hda_intel");
        assertThat(drivers.driverOverride(A40)).isEmpty();
        assertThat(drivers.driverOverride(A40_AUDIO)).isEmpty();
        assertThat(sysfs.numVfs(A40)).isEqualTo(4);
        assertThat(store.all()).isEmpty();
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " ABSENT");
    }

    @Test
    void aGroupSharedWithAnotherDeviceIsRefusedNamingItAndNothingIsTouched() throws Exception {
        boot(HOST);
        UUID slice = UUID.randomUUID();

        reconcile(slice, SHARED);

        assertThat(api.observations()).containsExactly(slice + " FAILED");
        assertThat(reasons()).singleElement().asString()
                .startsWith("GPU " + SHARED + " shares IOMMU group 18 with another device: " + NIC
                        + " (Intel Ethernet, ixgbe)")
                .contains("nothing was touched", "another slot", "ACS", "vgpuhub-agent doctor");
        assertUntouched(SHARED);
        assertThat(drivers.driver(NIC)).contains("ixgbe");
        assertThat(drivers.driverOverride(NIC)).isEmpty();
    }

    @Test
    void aForeignDeviceBoundToNoDriverStaysAsItIsAndTheGpuIsPassedThrough() throws Exception {
        boot(HOST);
        drivers.unbind(NIC);
        UUID slice = UUID.randomUUID();

        reconcile(slice, SHARED);

        assertThat(api.observations()).containsExactly(slice + " READY");
        assertThat(drivers.driver(SHARED)).contains(PciDrivers.VFIO_PCI);
        assertThat(store.find(slice).orElseThrow().addresses()).containsExactly(SHARED);
        assertThat(drivers.driver(NIC)).isEmpty();
        assertThat(drivers.driverOverride(NIC)).isEmpty();

        reconciler.reconcile(List.of());
        assertThat(drivers.driver(SHARED)).contains("nvidia");
        assertThat(drivers.driver(NIC)).isEmpty();
    }

    @Test
    void withTheIommuOffNothingIsTouchedAndTheReasonSaysSo() throws Exception {
        boot("iommu=off\n" + HOST);
        UUID slice = UUID.randomUUID();

        reconcile(slice, H100);

        assertThat(reasons()).singleElement().asString()
                .startsWith("GPU " + H100 + " cannot be passed through on this host, nothing was touched: the IOMMU is off")
                .contains("intel_iommu=on", "vgpuhub-agent doctor")
                .doesNotContain("vfio-pci driver is not loaded");
        assertUntouched(H100);
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");
    }

    @Test
    void withoutTheVfioModulesNothingIsTouchedAndTheReasonSaysSo() throws Exception {
        boot("vfio=missing\n" + HOST);
        UUID slice = UUID.randomUUID();

        reconcile(slice, A40);

        assertThat(reasons()).singleElement().asString()
                .startsWith("GPU " + A40 + " cannot be passed through on this host, nothing was touched: the vfio-pci driver is not loaded")
                .contains("modprobe vfio-pci", "vgpuhub-agent doctor")
                .doesNotContain("IOMMU is off");
        assertUntouched(A40);
        assertThat(sysfs.numVfs(A40)).isEqualTo(4);
        assertThat(drivers.driver(A40_AUDIO)).contains("snd_hda_intel");
    }

    @Test
    void hostComputeProcessesRefuseThePassthroughUntilTheyEnd() throws Exception {
        boot(HOST.replace("mig=off audio=on", "mig=off audio=on processes=2"));
        List<Long> pids = nvml.computeProcesses(H100);
        assertThat(pids).hasSize(2);
        UUID slice = UUID.randomUUID();

        reconcile(slice, H100);

        assertThat(reasons()).singleElement().asString().isEqualTo("GPU " + H100 + " runs 2 host compute process(es) (pid "
                + pids.get(0) + ", " + pids.get(1) + "): passthrough needs a GPU nothing else uses; stop them or choose another GPU");
        assertUntouched(H100);
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");

        assertThat(Control.INSTANCE.vgpusim_set_compute_processes(H100, 0)).isZero();
        reconcile(slice, H100);

        assertThat(drivers.driver(H100)).contains(PciDrivers.VFIO_PCI);
        assertThat(drivers.driver(H100_AUDIO)).contains(PciDrivers.VFIO_PCI);
        assertThat(api.observations()).containsExactly(slice + " FAILED", slice + " READY");
    }

    @Test
    void aProcessHoldingTheGpusDeviceRefusesThePassthroughThroughTheUnbindLockUntilItLetsGo() throws Exception {
        boot(HOST);
        Path lock = dir.resolve("proc/driver/nvidia/gpus/" + H100 + "/unbindLock");
        assertThat(Files.readString(dir.resolve("proc/driver/nvidia/gpus/" + H100 + "/information"))).contains("Device Minor: \t 1");
        Path fd = hold(812, "nvidia-persiste", "/dev/nvidia1");
        UUID slice = UUID.randomUUID();

        reconcile(slice, H100);

        assertThat(reasons()).singleElement().asString().startsWith("GPU " + H100 + " is in use: nvidia-persiste (pid 812) "
                + "holds /dev/nvidia1; unbinding it from nvidia would wait in the kernel until nothing uses it, so nothing was "
                + "touched: stop them");
        assertUntouched(H100);
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");
        assertThat(drivers.driverOverride(H100_AUDIO)).isEmpty();
        assertThat(Files.readString(lock).strip()).as("the driver refused the lock").isEqualTo("0");

        Files.delete(fd);
        reconcile(slice, H100);

        assertThat(drivers.driver(H100)).contains(PciDrivers.VFIO_PCI);
        assertThat(drivers.driver(H100_AUDIO)).contains(PciDrivers.VFIO_PCI);
        assertThat(lock.getParent()).as("nvidia's procfs entry goes with the binding").doesNotExist();
        assertThat(api.observations()).containsExactly(slice + " FAILED", slice + " READY");

        reconciler.reconcile(List.of());
        assertThat(drivers.driver(H100)).contains("nvidia");
        assertThat(Files.readString(lock).strip()).isEqualTo("0");
    }

    @Test
    void withoutAnUnbindLockADriverTellsOfTheProcessesScanSeesTheHolder() throws Exception {
        boot(HOST);
        Files.delete(dir.resolve("proc/driver/nvidia/gpus/" + H100 + "/unbindLock"));     // an older driver
        Path fd = hold(3301, "dcgm", "/dev/nvidia1");
        UUID slice = UUID.randomUUID();

        reconcile(slice, H100);

        assertThat(reasons()).singleElement().asString().startsWith("GPU " + H100 + " is in use: dcgm (pid 3301) holds /dev/nvidia1;");
        assertUntouched(H100);
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");

        Files.delete(fd);
        reconcile(slice, H100);
        assertThat(api.observations()).containsExactly(slice + " FAILED", slice + " READY");
    }

    @Test
    void theSimulatedNvidiaUnbindWaitsWhileAProcessHoldsTheGpuAndTheLockIsRefused() throws Exception {
        boot(HOST);
        hold(812, "nvidia-persiste", "/dev/nvidia1");
        Procfs procfs = sysfs.procfs();

        assertThat(procfs.takeNvidiaUnbindLock(H100)).contains(false);
        assertThat(procfs.takeNvidiaUnbindLock(A40)).contains(true);
        assertThat(procfs.takeNvidiaUnbindLock(A40)).as("taken twice").contains(true);
        procfs.releaseNvidiaUnbindLock(A40);
        assertThat(Files.readString(dir.resolve("proc/driver/nvidia/gpus/" + A40 + "/unbindLock")).strip()).isEqualTo("0");
        long start = System.nanoTime();
        assertThatThrownBy(() -> drivers.unbind(H100)).isInstanceOf(KernelWriteException.class).hasMessageContaining("EBUSY");
        assertThat(System.nanoTime() - start).as("blocked first").isGreaterThan(1_000_000_000L);
        assertThat(drivers.driver(H100)).contains("nvidia");
    }

    @Test
    void aProcessHoldingTheAudioFunctionsSoundCardRefusesThePassthroughUntilItLetsGo() throws Exception {
        boot(HOST);
        assertThat(root.resolve("bus/pci/devices/" + H100_AUDIO + "/sound/card1")).isDirectory();
        Path fd = hold(1500, "pipewire", "/dev/snd/pcmC1D3p");
        hold(1501, "other-card", "/dev/snd/pcmC10D0p");     // card 10, not 1
        UUID slice = UUID.randomUUID();

        reconcile(slice, H100);

        assertThat(reasons()).singleElement().asString().startsWith("GPU " + H100 + " cannot be passed through: its function "
                + H100_AUDIO + " (sound card 1) is in use: pipewire (pid 1500) holds /dev/snd/pcmC1D3p; unbinding it from "
                + "snd_hda_intel would wait in the kernel until nothing uses it, so nothing was touched");
        assertUntouched(H100);
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");
        assertThat(drivers.driverOverride(H100_AUDIO)).isEmpty();
        assertThat(Files.readString(dir.resolve("proc/driver/nvidia/gpus/" + H100 + "/unbindLock")).strip()).isEqualTo("0");

        Files.delete(fd);
        reconcile(slice, H100);

        assertThat(drivers.driver(H100_AUDIO)).contains(PciDrivers.VFIO_PCI);
        assertThat(root.resolve("bus/pci/devices/" + H100_AUDIO + "/sound")).doesNotExist();
        assertThat(api.observations()).containsExactly(slice + " FAILED", slice + " READY");
    }

    @Test
    void theSimulatedSoundUnbindWaitsWhileAProcessHoldsTheCard() throws Exception {
        boot(HOST);
        hold(1500, "pipewire", "/dev/snd/controlC1");

        assertThatThrownBy(() -> drivers.unbind(H100_AUDIO)).isInstanceOf(KernelWriteException.class).hasMessageContaining("EBUSY");
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");
    }

    @Test
    void aFailureAfterTheUnbindLockWasTakenGivesTheLockBack() throws Exception {
        boot(HOST);
        Path lock = dir.resolve("proc/driver/nvidia/gpus/" + A40 + "/unbindLock");
        Path seen = dir.resolve("lock-seen");
        Path script = dir.resolve("sriov-manage");
        Files.writeString(script, "#!/bin/sh\ncat '" + lock + "' > '" + seen + "'\necho \"Cannot disable VFs on $2\"\nexit 1\n");
        script.toFile().setExecutable(true);
        reconciler = newReconciler(Optional.of(script));
        UUID slice = UUID.randomUUID();

        reconcile(slice, A40);

        assertThat(reasons()).singleElement().asString().startsWith("cannot bind " + A40 + " to vfio-pci: " + script + " -d " + A40
                + " exited with 1");
        assertThat(Files.readString(seen).strip()).as("held while the VFs were disabled").isEqualTo("1");
        assertThat(Files.readString(lock).strip()).as("given back").isEqualTo("0");
        assertUntouched(A40);
        assertThat(drivers.driver(A40_AUDIO)).contains("snd_hda_intel");
    }

    @Test
    void aGpuThatHoldsAnMdevIsRefusedAndItsAudioFunctionStaysWithItsDriver() throws Exception {
        boot(HOST);
        sysfs.createMdev(sysfs.virtualFunctions(A40).get(0), "nvidia-557", UUID.randomUUID());
        UUID slice = UUID.randomUUID();

        reconcile(slice, A40);

        assertThat(reasons()).singleElement().asString().startsWith("GPU " + A40 + " holds 1 device(s) (mdev ");
        assertUntouched(A40);
        assertThat(drivers.driver(A40_AUDIO)).contains("snd_hda_intel");
        assertThat(sysfs.numVfs(A40)).isEqualTo(4);
        assertThat(sysfs.mdevs()).hasSize(1);
    }

    @Test
    void whenOneFunctionDoesNotBindEveryFunctionGoesBackToItsDriver() throws Exception {
        boot(HOST);
        // the audio function lost its IOMMU group link: vfio-pci's probe refuses it after the GPU is already bound
        Files.delete(root.resolve("bus/pci/devices/" + A40_AUDIO + "/iommu_group"));
        UUID slice = UUID.randomUUID();

        reconcile(slice, A40);

        assertThat(reasons()).singleElement().asString()
                .startsWith("vfio-pci did not bind " + A40_AUDIO + " (driver after drivers_probe: none)");
        assertUntouched(A40);
        assertThat(drivers.driver(A40_AUDIO)).contains("snd_hda_intel");
        assertThat(drivers.driverOverride(A40_AUDIO)).isEmpty();
        assertThat(sysfs.numVfs(A40)).as("VFs enabled again").isEqualTo(4);
    }

    @Test
    void aReleaseWaitsWhileAVmHoldsTheVfioGroupAndFinishesOnceItLetsGo() throws Exception {
        boot(HOST);
        UUID slice = UUID.randomUUID();
        reconcile(slice, H100);
        int group = sysfs.iommuGroup(H100).orElseThrow().number();
        Path qemu = dir.resolve("proc/4242");
        Files.createDirectories(qemu.resolve("fd"));
        Files.writeString(qemu.resolve("comm"), "qemu-system-x86\n");
        Files.createDirectories(qemu.resolve("fd/1"));     // not a link: skipped
        Files.createSymbolicLink(qemu.resolve("fd/31"), Path.of("/dev/vfio/" + group));

        List<ILoggingEvent> logged = capture(() -> {
            reconciler.reconcile(List.of());
            reconciler.reconcile(List.of());
        });

        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).as("logged once, naming the VM's process")
                .singleElement().asString().contains("slice " + slice + " is released but a VM still uses GPU " + H100
                        + ": qemu-system-x86 (pid 4242) holds /dev/vfio/" + group);
        assertThat(drivers.driver(H100)).contains(PciDrivers.VFIO_PCI);
        assertThat(drivers.driver(H100_AUDIO)).contains(PciDrivers.VFIO_PCI);
        assertThat(store.find(slice)).isPresent();
        assertThat(api.observations()).as("no ABSENT while the VM holds it").containsExactly(slice + " READY");

        Files.delete(qemu.resolve("fd/31"));     // the VM shut down
        reconciler.reconcile(List.of());

        assertThat(drivers.driver(H100)).contains("nvidia");
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");
        assertThat(store.all()).isEmpty();
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " ABSENT");
    }

    @Test
    void theSimulatedKernelsVfioUnbindWaitsUntilTheVmLetsGo() throws Exception {
        boot(HOST);
        reconcile(UUID.randomUUID(), H100);
        Path fd = dir.resolve("proc/4242/fd/31");
        Files.createDirectories(fd.getParent());
        Files.createSymbolicLink(fd, Path.of("/dev/vfio/" + sysfs.iommuGroup(H100).orElseThrow().number()));

        long start = System.nanoTime();
        assertThatThrownBy(() -> drivers.unbind(H100)).isInstanceOf(KernelWriteException.class).hasMessageContaining("EBUSY");
        assertThat(System.nanoTime() - start).as("blocked first").isGreaterThan(1_000_000_000L);
        assertThat(drivers.driver(H100)).contains(PciDrivers.VFIO_PCI);

        Thread vmShutsDown = new Thread(() -> {
            try {
                Thread.sleep(200);
                Files.delete(fd);
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        vmShutsDown.start();
        drivers.unbind(H100);
        vmShutsDown.join();
        assertThat(drivers.driver(H100)).isEmpty();
    }

    @Test
    void aVmHoldingTheDeviceThroughIommufdAlsoBlocksTheRelease() throws Exception {
        boot(HOST);
        UUID slice = UUID.randomUUID();
        reconcile(slice, H100);
        // iommufd: the function's own cdev, /dev/vfio/devices/vfio3, named in sysfs under <bdf>/vfio-dev
        Files.createDirectories(root.resolve("bus/pci/devices/" + H100_AUDIO + "/vfio-dev/vfio3"));
        Path qemu = dir.resolve("proc/5150");
        Files.createDirectories(qemu.resolve("fd"));
        Files.writeString(qemu.resolve("comm"), "qemu-kvm\n");
        Files.createSymbolicLink(qemu.resolve("fd/40"), Path.of("/dev/vfio/devices/vfio3"));

        reconciler.reconcile(List.of());

        assertThat(drivers.driver(H100)).contains(PciDrivers.VFIO_PCI);
        assertThat(api.observations()).containsExactly(slice + " READY");
        Files.delete(qemu.resolve("fd/40"));
    }

    @Test
    void aRebootGivesEveryFunctionBackAndRestoreBindsEachAgain() throws Exception {
        boot(HOST);
        UUID a40 = UUID.randomUUID();
        UUID h100 = UUID.randomUUID();
        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(a40.toString(), A40),
                DesiredState.Slice.passthrough(h100.toString(), H100)));

        SimulatedReboot.reboot(root);
        for (String function : List.of(A40, A40_AUDIO, H100, H100_AUDIO)) {
            assertThat(drivers.driverOverride(function)).as(function).isEmpty();
        }
        assertThat(drivers.driver(A40)).contains("nvidia");
        assertThat(drivers.driver(A40_AUDIO)).contains("snd_hda_intel");
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");
        sysfs.setNumVfs(A40, 4);     // sriov-manage -e ALL at boot
        List<String> lines = new ArrayList<>();

        Restorer.Result result = passthrough().restore(lines::add);

        assertThat(result.failed()).isZero();
        assertThat(lines).containsExactly(
                "restored passthrough " + a40 + " (" + A40 + ", " + A40_AUDIO + "): bound to vfio-pci",
                "restored passthrough " + h100 + " (" + H100 + ", " + H100_AUDIO + "): bound to vfio-pci",
                "restore: 2 passthrough binding(s) restored, 0 already present, 0 failed");
        for (String function : List.of(A40, A40_AUDIO, H100, H100_AUDIO)) {
            assertThat(drivers.driver(function)).as(function).contains(PciDrivers.VFIO_PCI);
        }
        assertThat(sysfs.numVfs(A40)).isZero();

        newReconciler().reconcile(List.of());
        assertThat(drivers.driver(A40)).contains("nvidia");
        assertThat(drivers.driver(A40_AUDIO)).contains("snd_hda_intel");
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");
        assertThat(sysfs.numVfs(A40)).isEqualTo(4);
    }

    @Test
    void aRecordWrittenBeforeGroupsWereBoundStillReleasesItsGpuAndLeavesTheAudioFunctionAlone() throws Exception {
        boot(HOST);
        UUID slice = UUID.randomUUID();
        Files.createDirectories(dir.resolve("state/passthrough"));
        Files.writeString(dir.resolve("state/passthrough/" + slice + ".json"), "{\"sliceId\":\"" + slice
                + "\",\"gpuPciAddress\":\"" + H100 + "\",\"uuid\":\"" + SimulatedHosts.H100_UUID
                + "\",\"name\":\"NVIDIA H100 PCIe\",\"memoryMib\":81559,\"vfsBefore\":0}");
        // what the agent before this version did: the GPU alone
        drivers.setDriverOverride(H100, PciDrivers.VFIO_PCI);
        drivers.unbind(H100);
        drivers.probe(H100);

        assertThat(store.find(slice).orElseThrow().functions()).containsExactly(new PassthroughRecord.Function(H100, "nvidia"));
        reconcile(slice, H100);
        assertThat(api.observations()).containsExactly(slice + " READY");
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");

        reconciler.reconcile(List.of());

        assertThat(drivers.driver(H100)).contains("nvidia");
        assertThat(drivers.driverOverride(H100)).isEmpty();
        assertThat(drivers.driver(H100_AUDIO)).contains("snd_hda_intel");
        assertThat(store.all()).isEmpty();
        assertThat(api.observations()).containsExactly(slice + " READY", slice + " ABSENT");
    }

    private static List<ILoggingEvent> capture(Runnable action) {
        Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger(PassthroughReconciler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        }
        finally {
            logger.detachAppender(appender);
        }
        return appender.list;
    }

    /** A process of the simulated procfs with {@code device} open (its fd 7), as a real one shows in /proc. */
    private Path hold(long pid, String comm, String device) throws Exception {
        Path process = dir.resolve("proc/" + pid);
        Files.createDirectories(process.resolve("fd"));
        Files.writeString(process.resolve("comm"), comm + "\n");
        Path fd = process.resolve("fd/7");
        Files.createSymbolicLink(fd, Path.of(device));
        return fd;
    }

    private void assertUntouched(String gpu) {
        assertThat(drivers.driver(gpu)).contains("nvidia");
        assertThat(drivers.driverOverride(gpu)).isEmpty();
        assertThat(store.all()).isEmpty();
    }

    private void reconcile(UUID slice, String gpu) {
        reconciler.reconcile(List.of(DesiredState.Slice.passthrough(slice.toString(), gpu)));
    }

    /** The simulator's test hook for host processes. */
    interface Control extends Library {
        Control INSTANCE = Native.load(NativeLibraries.resolve("vgpusim"), Control.class);

        int vgpusim_set_compute_processes(String pci, int count);
    }
}
