package io.vgpuhub.agent.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.support.SimulatedHosts;

/** The real sysfs code against the simulated kernel, through the real JNA binding. */
class SysfsTests {

    static final String VF0 = "0000:41:00.4";
    static final String VF1 = "0000:41:00.5";
    static final String A40_8Q = "nvidia-557";
    static final String A40_4Q = "nvidia-555";

    @TempDir
    Path dir;

    Path root;
    KernelFiles kernel;
    Sysfs sysfs;

    @BeforeEach
    void bootSimulatedHost() {
        root = SimulatedHosts.bootTwoA40s(dir);
        kernel = KernelFiles.load("vgpusim");
        sysfs = new Sysfs(root, kernel);
    }

    @Test
    void bootBuildsTheSriovTreeWithEveryVfAsAnMdevParent() {
        assertThat(sysfs.totalVfs(SimulatedHosts.A40_PF)).isEqualTo(16);
        assertThat(sysfs.numVfs(SimulatedHosts.A40_PF)).isEqualTo(16);
        assertThat(sysfs.virtualFunctions(SimulatedHosts.A40_PF))
                .hasSize(16)
                .startsWith("0000:41:00.4", "0000:41:00.5", "0000:41:00.6", "0000:41:00.7", "0000:41:01.0")
                .endsWith("0000:41:02.3");
        assertThat(sysfs.mdevParents()).hasSize(20).contains(new MdevParent(VF0, SimulatedHosts.A40_PF));
        assertThat(root.resolve("bus/pci/devices/" + VF0 + "/physfn")).isSymbolicLink();
    }

    @Test
    void listsTheA40TypesWithParsedDescriptions() {
        assertThat(sysfs.types(VF0)).hasSize(19);
        MdevType eightQ = type(VF0, A40_8Q);
        assertThat(eightQ.name()).isEqualTo("NVIDIA A40-8Q");
        assertThat(eightQ.profile()).isEqualTo("A40-8Q");
        assertThat(eightQ.description()).isEqualTo(new MdevTypeDescription(4, 60, 8192, "7680x4320", 6));
        assertThat(eightQ.availableInstances()).isEqualTo(1);
        assertThat(eightQ.deviceApi()).isEqualTo("vfio-pci");
    }

    @Test
    void creatingAnMdevMakesItAppearAndTakesTheVf() {
        UUID uuid = UUID.randomUUID();
        sysfs.createMdev(VF0, A40_8Q, uuid);

        assertThat(sysfs.mdevs()).containsExactly(new Mdev(uuid, VF0, A40_8Q));
        assertThat(root.resolve("bus/pci/devices/" + VF0 + "/mdev_supported_types/" + A40_8Q + "/devices/" + uuid)).isSymbolicLink();
        assertThat(type(VF0, A40_8Q).availableInstances()).isZero();
        assertThat(type(VF0, "nvidia-564").availableInstances()).as("8C on the same VF").isZero();
        assertThat(type(VF1, A40_8Q).availableInstances()).as("another VF, same size").isEqualTo(1);
        assertThat(type(VF1, A40_4Q).availableInstances()).as("another size, equal-size mode").isZero();
        assertThat(type("0000:c1:00.4", A40_4Q).availableInstances()).as("the other GPU").isEqualTo(1);
    }

    @Test
    void aSecondCreateOnTheSameVfFailsWithEnospc() {
        sysfs.createMdev(VF0, A40_8Q, UUID.randomUUID());
        UUID second = UUID.randomUUID();

        assertThatThrownBy(() -> sysfs.createMdev(VF0, A40_8Q, second))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("ENOSPC");
                    assertThat(e.errno()).isEqualTo(28);
                })
                .hasMessageContaining("write '" + second + "'")
                .hasMessageEndingWith("nvidia-557/create failed: ENOSPC (No space left on device)");
        assertThat(sysfs.mdevs()).hasSize(1);
    }

    @Test
    void theGpuRunsOutAtTheTypesMaximumInstances() {
        for (String vf : new String[] { "0000:41:00.4", "0000:41:00.5", "0000:41:00.6", "0000:41:00.7", "0000:41:01.0", "0000:41:01.1" }) {
            sysfs.createMdev(vf, A40_8Q, UUID.randomUUID());
        }
        assertThat(type("0000:41:01.2", A40_8Q).availableInstances()).isZero();
        assertThatThrownBy(() -> sysfs.createMdev("0000:41:01.2", A40_8Q, UUID.randomUUID()))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOSPC"));
    }

    @Test
    void anExistingUuidIsRefusedWithEexist() {
        UUID uuid = UUID.randomUUID();
        sysfs.createMdev(VF0, A40_8Q, uuid);
        assertThatThrownBy(() -> sysfs.createMdev(VF1, A40_8Q, uuid))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EEXIST"));
    }

    @Test
    void theSimulatedKernelRefusesABadUuidWithEinval() {
        Path create = root.resolve("class/mdev_bus/" + VF0 + "/mdev_supported_types/" + A40_8Q + "/create");
        assertThatThrownBy(() -> kernel.write(create, "not-a-uuid"))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"))
                .hasMessageContaining("EINVAL (Invalid argument)");
        assertThatThrownBy(() -> kernel.write(create, "zzzzzzzz-8b1d-4e6a-9f2c-1a2b3c4d5e6f"))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
        assertThat(sysfs.mdevs()).isEmpty();
        assertThat(type(VF0, A40_8Q).availableInstances()).isEqualTo(1);
    }

    @Test
    void removingAnMdevRestoresTheCounts() {
        UUID uuid = UUID.randomUUID();
        sysfs.createMdev(VF0, A40_8Q, uuid);
        sysfs.removeMdev(uuid);

        assertThat(sysfs.mdevs()).isEmpty();
        assertThat(root.resolve("bus/pci/devices/" + VF0 + "/" + uuid)).doesNotExist();
        assertThat(type(VF0, A40_8Q).availableInstances()).isEqualTo(1);
        assertThat(type(VF1, A40_4Q).availableInstances()).isEqualTo(1);
    }

    @Test
    void removingAnUnknownMdevFailsWithEnoent() {
        assertThatThrownBy(() -> sysfs.removeMdev(UUID.randomUUID()))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOENT"));
    }

    @Test
    void sriovNumvfsFollowsTheKernelsRules() {
        String pf = SimulatedHosts.SECOND_A40_PF;
        assertThat(sysfs.numVfs(pf)).isEqualTo(4);

        assertThatThrownBy(() -> sysfs.setNumVfs(pf, 2)).as("non-zero to another non-zero")
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EBUSY"));
        assertThatThrownBy(() -> sysfs.setNumVfs(pf, 5)).as("above sriov_totalvfs")
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("ERANGE"));
        sysfs.setNumVfs(pf, 4);   // the same value is accepted and changes nothing

        sysfs.setNumVfs(pf, 0);
        assertThat(sysfs.numVfs(pf)).isZero();
        assertThat(sysfs.virtualFunctions(pf)).isEmpty();
        assertThat(sysfs.mdevParents()).noneMatch(p -> pf.equals(p.physicalFunction()));

        sysfs.setNumVfs(pf, 2);
        assertThat(sysfs.virtualFunctions(pf)).containsExactly("0000:c1:00.4", "0000:c1:00.5");
        assertThat(type("0000:c1:00.5", A40_8Q).availableInstances()).isEqualTo(1);
    }

    @Test
    void vfsUnderRunningVgpusCannotBeDisabled() {
        sysfs.createMdev(VF0, A40_8Q, UUID.randomUUID());
        assertThatThrownBy(() -> sysfs.setNumVfs(SimulatedHosts.A40_PF, 0))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EBUSY"));
    }

    @Test
    void theSimulatedHostKeepsItsMdevsAcrossARestart() {
        UUID uuid = UUID.randomUUID();
        sysfs.createMdev(VF0, A40_8Q, uuid);

        SimulatedHost.boot(dir.resolve("host.conf"), root);

        assertThat(sysfs.mdevs()).containsExactly(new Mdev(uuid, VF0, A40_8Q));
        assertThat(type(VF1, A40_4Q).availableInstances()).isZero();
    }

    @Test
    void nvmlMemoryUsedIncludesTheFramebufferOfRunningVgpus() {
        sysfs.createMdev(VF0, A40_8Q, UUID.randomUUID());
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.gpu(SimulatedHosts.A40_PF).memoryUsedMib()).isEqualTo(531 + 8192);
        }
    }

    @Test
    void writesOutsideTheSimulatedRootGoToTheRealKernel() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "old");
        kernel.write(plain, "new");
        assertThat(Files.readString(plain)).isEqualTo("new");
    }

    private MdevType type(String parent, String id) {
        return sysfs.types(parent).stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }
}
