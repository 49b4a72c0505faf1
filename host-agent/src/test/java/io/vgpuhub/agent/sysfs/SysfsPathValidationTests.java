package io.vgpuhub.agent.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.support.TreeSnapshot;

/** Names and paths that would leave the sysfs root are refused before anything is written. */
class SysfsPathValidationTests {

    @TempDir
    Path dir;

    Path root;
    Sysfs sysfs;
    Map<String, String> before;

    @BeforeEach
    void bootSimulatedHost() {
        root = SimulatedHosts.bootTwoA40s(dir);
        sysfs = new Sysfs(root, KernelFiles.load("vgpusim"));
        before = TreeSnapshot.of(dir);
    }

    @Test
    void refusesTraversalInTheParentName() {
        assertRefusedWithoutWrites(() -> sysfs.createMdev("../../../etc", "nvidia-557", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:41:00.4/../../..", "nvidia-557", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.types("../0000:41:00.4"));
    }

    @Test
    void refusesAbsolutePaths() {
        assertRefusedWithoutWrites(() -> sysfs.createMdev("/etc/passwd", "nvidia-557", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:41:00.4", "/tmp/create", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.confine(Path.of("/etc/passwd")));
        assertRefusedWithoutWrites(() -> sysfs.confine(root.resolve("class/../../outside")));
    }

    @Test
    void refusesMalformedNames() {
        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:41:00.8", "nvidia-557", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:41:20.4", "nvidia-557", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:41:00.4", "nvidia-557/../nvidia-558", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:41:00.4", "nvidia-123456", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:41:00.4", "i915-GVTg_V5_4", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:41:00.4", "nvidia-557", null));
        assertRefusedWithoutWrites(() -> sysfs.setNumVfs("0000:41:00.0\n", 0));
        assertThatThrownBy(() -> SysfsNames.parseUuid("3C2A9E4F-8B1D-4E6A-9F2C-1A2B3C4D5E6F")).isInstanceOf(UnsafeSysfsPathException.class);
    }

    @Test
    void refusesASymlinkThatEscapesTheRoot() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside/mdev_supported_types/nvidia-557"));
        Files.writeString(outside.resolve("create"), "");
        Files.createSymbolicLink(root.resolve("class/mdev_bus/0000:99:00.4"), dir.resolve("outside"));
        before = TreeSnapshot.of(dir);

        assertRefusedWithoutWrites(() -> sysfs.createMdev("0000:99:00.4", "nvidia-557", UUID.randomUUID()));
        assertRefusedWithoutWrites(() -> sysfs.types("0000:99:00.4"));
        assertThat(Files.readString(outside.resolve("create"))).isEmpty();
    }

    @Test
    void theUnbindLockIsWrittenOnlyInsideTheProcfsRootAndForAPciAddress() throws Exception {
        Path gpus = dir.resolve("proc/driver/nvidia/gpus");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("unbindLock"), "0\n");
        Files.createSymbolicLink(gpus.resolve("0000:99:00.0"), outside);
        before = TreeSnapshot.of(dir);
        Procfs procfs = sysfs.procfs();

        assertRefusedWithoutWrites(() -> procfs.takeNvidiaUnbindLock("0000:99:00.0"));
        assertRefusedWithoutWrites(() -> procfs.releaseNvidiaUnbindLock("0000:99:00.0"));
        assertRefusedWithoutWrites(() -> procfs.takeNvidiaUnbindLock("../../../outside"));
        assertThat(Files.readString(outside.resolve("unbindLock"))).isEqualTo("0\n");
        assertThat(procfs.root()).isEqualTo(dir.resolve("proc").toAbsolutePath().normalize());
    }

    private void assertRefusedWithoutWrites(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(UnsafeSysfsPathException.class).isInstanceOf(IllegalArgumentException.class);
        assertThat(TreeSnapshot.of(dir)).isEqualTo(before);
    }
}
