package io.vgpuhub.agent.sysfs;

import static io.vgpuhub.agent.sysfs.VendorVfioHosts.A40_1Q;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.A40_8C;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.A40_8Q;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.GPU;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.VF0;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.VF1;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.VF2;
import static io.vgpuhub.agent.sysfs.VendorVfioHosts.VF3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.sim.SimulatedReboot;
import io.vgpuhub.agent.support.SimulatedHosts;

/** NVIDIA's vendor-specific VFIO framework through the real JNA/libc path into the simulated kernel. */
class VendorVfioSysfsTests {

    @TempDir
    Path dir;

    private Sysfs vfioHost() {
        return new Sysfs(VendorVfioHosts.boot(dir), KernelFiles.load("vgpusim"));
    }

    @Test
    void detectsTheFrameworkOnBothKindsOfHost() {
        Sysfs mdev = new Sysfs(SimulatedHosts.bootTwoA40s(dir.resolve("mdev")), KernelFiles.load("vgpusim"));
        assertThat(mdev.framework()).isEqualTo(VgpuFramework.MDEV);
        assertThat(mdev.vendorVfioFunctions()).isEmpty();

        Sysfs vfio = new Sysfs(VendorVfioHosts.boot(dir.resolve("vfio")), KernelFiles.load("vgpusim"));
        assertThat(vfio.framework()).isEqualTo(VgpuFramework.VENDOR_VFIO);
        assertThat(vfio.vendorVfioFunctions()).containsExactly(VF0, VF1, VF2, VF3);
        assertThat(vfio.root().resolve("class/mdev_bus")).doesNotExist();
        assertThat(vfio.root().resolve("bus/pci/devices/" + VF0 + "/mdev_supported_types")).doesNotExist();
        assertThat(vfio.mdevParents()).isEmpty();
        assertThat(vfio.mdevs()).isEmpty();

        Sysfs migOnly = new Sysfs(SimulatedHosts.bootMigBoards(dir.resolve("mig")), KernelFiles.load("vgpusim"));
        assertThat(migOnly.framework()).isEqualTo(VgpuFramework.NONE);
    }

    @Test
    void withItsVfsDisabledAVendorVfioHostIsStillDetectedByItsNvidiaBoundPf() {
        Sysfs sysfs = vfioHost();
        SimulatedReboot.reboot(sysfs.root());

        assertThat(sysfs.vendorVfioFunctions()).isEmpty();
        assertThat(sysfs.root().resolve("bus/pci/devices/" + GPU + "/driver")).isSymbolicLink();
        assertThat(sysfs.framework()).isEqualTo(VgpuFramework.VENDOR_VFIO);
    }

    @Test
    void everyVfStartsWithoutAVgpuAndListsEveryA40TypeUnderAHeader() throws Exception {
        Sysfs sysfs = vfioHost();

        assertThat(sysfs.currentVgpuType(VF0)).isZero();
        assertThat(sysfs.creatableVgpuTypes(VF0)).hasSize(19).contains(new VendorVfioType(A40_8Q, "NVIDIA A40-8Q"));
        assertThat(sysfs.creatableVgpuTypes(VF3)).isEqualTo(sysfs.creatableVgpuTypes(VF0));
        String raw = Files.readString(sysfs.root().resolve("bus/pci/devices/" + VF0 + "/nvidia/creatable_vgpu_types"));
        assertThat(raw).startsWith("ID").contains("\n557 : NVIDIA A40-8Q\n");
    }

    @Test
    void settingATypeCreatesTheVgpuAndShrinksTheSiblingsCreatableLists() {
        Sysfs sysfs = vfioHost();

        sysfs.setVgpuType(VF0, A40_8Q);

        assertThat(sysfs.currentVgpuType(VF0)).isEqualTo(A40_8Q);
        assertThat(sysfs.creatableVgpuTypes(VF0)).isEmpty();
        assertThat(sysfs.creatableVgpuTypes(VF1)).extracting(VendorVfioType::id).containsExactly(A40_8Q, A40_8C);
        assertThat(sysfs.creatableVgpuTypes(VF3)).extracting(VendorVfioType::profile).containsExactly("A40-8Q", "A40-8C");

        sysfs.setVgpuType(VF1, A40_8C);
        assertThat(sysfs.creatableVgpuTypes(VF1)).isEmpty();
        assertThat(sysfs.creatableVgpuTypes(VF2)).extracting(VendorVfioType::id).containsExactly(A40_8Q, A40_8C);
    }

    @Test
    void clearingWritesZeroAndGivesEveryTypeBack() {
        Sysfs sysfs = vfioHost();
        sysfs.setVgpuType(VF0, A40_8Q);

        sysfs.clearVgpuType(VF0);
        sysfs.clearVgpuType(VF0);   // 0 on a free VF is accepted

        assertThat(sysfs.currentVgpuType(VF0)).isZero();
        assertThat(sysfs.creatableVgpuTypes(VF0)).hasSize(19);
        assertThat(sysfs.creatableVgpuTypes(VF1)).hasSize(19);
        sysfs.setVgpuType(VF1, A40_1Q);
        assertThat(sysfs.currentVgpuType(VF1)).isEqualTo(A40_1Q);
    }

    @Test
    void aTypeNotCreatableOnTheVfIsRefusedWithEinval() {
        Sysfs sysfs = vfioHost();
        sysfs.setVgpuType(VF0, A40_8Q);

        assertThatThrownBy(() -> sysfs.setVgpuType(VF1, A40_1Q))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
        assertThatThrownBy(() -> sysfs.setVgpuType(VF2, 99999))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
        assertThat(sysfs.currentVgpuType(VF1)).isZero();
    }

    @Test
    void aSecondTypeOnAVfWithAVgpuIsRefusedWithEbusyEvenTheSameOne() {
        Sysfs sysfs = vfioHost();
        sysfs.setVgpuType(VF0, A40_8Q);

        assertThatThrownBy(() -> sysfs.setVgpuType(VF0, A40_8C))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.reason()).isEqualTo("EBUSY (Device or resource busy)"));
        assertThatThrownBy(() -> sysfs.setVgpuType(VF0, A40_8Q))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EBUSY"));
        assertThat(sysfs.currentVgpuType(VF0)).isEqualTo(A40_8Q);
    }

    @Test
    void aValueThatIsNotADecimalNumberIsRefusedWithEinval() {
        Sysfs sysfs = vfioHost();
        KernelFiles kernel = KernelFiles.load("vgpusim");
        Path current = sysfs.root().resolve("bus/pci/devices/" + VF0 + "/nvidia/current_vgpu_type");

        for (String value : new String[] { "A40-8Q", "0x22d", "-1", "557 ", "" }) {
            assertThatThrownBy(() -> kernel.writeTruncating(current, value)).as(value)
                    .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EINVAL"));
        }
        kernel.writeTruncating(current, "557\n");
        assertThat(sysfs.currentVgpuType(VF0)).isEqualTo(A40_8Q);
    }

    @Test
    void vfsWithVgpusCannotBeDisabled() {
        Sysfs sysfs = vfioHost();
        sysfs.setVgpuType(VF0, A40_8Q);

        assertThatThrownBy(() -> sysfs.setNumVfs(GPU, 0))
                .isInstanceOfSatisfying(KernelWriteException.class, e -> assertThat(e.errnoName()).isEqualTo("EBUSY"));

        sysfs.clearVgpuType(VF0);
        sysfs.setNumVfs(GPU, 0);
        assertThat(sysfs.vendorVfioFunctions()).isEmpty();
        sysfs.setNumVfs(GPU, 4);
        assertThat(sysfs.vendorVfioFunctions()).containsExactly(VF0, VF1, VF2, VF3);
        assertThat(sysfs.creatableVgpuTypes(VF0)).hasSize(19);
    }

    @Test
    void vendorVfioNamesAreValidatedLikeEveryOtherSysfsName() {
        Sysfs sysfs = vfioHost();

        assertThatThrownBy(() -> sysfs.setVgpuType("../../etc", A40_8Q)).isInstanceOf(UnsafeSysfsPathException.class);
        assertThatThrownBy(() -> sysfs.setVgpuType(VF0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
