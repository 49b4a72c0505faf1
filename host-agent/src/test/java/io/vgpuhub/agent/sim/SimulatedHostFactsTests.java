package io.vgpuhub.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.natives.NativeLibraries;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.VirtualizationMode;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.IommuGroup;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.PciFunction;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The host around the simulated GPUs: procfs, modules, IOMMU groups, extra functions, driver flavour, processes. */
class SimulatedHostFactsTests {

    private static final String A40 = "gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f vfs=2";
    private static final String H100 = "gpu pci=0000:65:00.0 model=H100-80GB uuid=GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061";

    @TempDir
    Path dir;

    private Sysfs boot(String hostFile) {
        Path root = dir.resolve("sys");
        SimulatedHost.boot(SimulatedHosts.hostFile(dir, hostFile), root);
        return new Sysfs(root, KernelFiles.load(Nvml.SIMULATED_LIBRARY));
    }

    @Test
    void aReadyHostHasTheIommuOnVfioLoadedAndTheVgpuManagerRunning() throws Exception {
        Sysfs sysfs = boot(A40 + " audio=on group_with=0000:42:00.0\n" + H100 + "\n");

        assertThat(Files.readString(dir.resolve("proc/cmdline"))).contains("intel_iommu=on");
        assertThat(Files.readString(dir.resolve("proc/2187/comm"))).isEqualTo("nvidia-vgpu-mgr\n");
        assertThat(sysfs.moduleLoaded("vfio_pci")).isTrue();
        assertThat(sysfs.moduleLoaded("nvidia_vgpu_vfio")).isTrue();
        // two GPU groups and one per VF
        assertThat(sysfs.iommuGroupCount()).isEqualTo(4);

        IommuGroup group = sysfs.iommuGroup("0000:41:00.0").orElseThrow();
        assertThat(group.members()).extracting(PciFunction::address)
                .containsExactly("0000:41:00.0", "0000:41:00.1", "0000:42:00.0");
        PciFunction audio = group.othersThan("0000:41:00.0").get(0);
        assertThat(audio.driver()).contains("snd_hda_intel");
        assertThat(audio.sameSlotAs("0000:41:00.0")).isTrue();
        PciFunction nic = group.othersThan("0000:41:00.0").get(1);
        assertThat(nic.isNvidia()).isFalse();
        assertThat(nic.driver()).contains("ixgbe");
        assertThat(sysfs.iommuGroup(sysfs.virtualFunctions("0000:41:00.0").get(0)).orElseThrow().members()).hasSize(1);
        // the audio function is no GPU: nvidiaGpus lists only display-class NVIDIA physical functions
        assertThat(sysfs.drivers().nvidiaGpus()).containsExactly("0000:41:00.0", "0000:65:00.0");

        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.virtualizationMode("0000:41:00.0")).isEqualTo(VirtualizationMode.HOST_VGPU);
            assertThat(nvml.computeProcesses("0000:65:00.0")).isEmpty();
        }
    }

    @Test
    void theAudioFunctionGoesToVfioPciAndBackToItsOwnDriver() {
        Sysfs sysfs = boot(A40 + " audio=on\n");
        PciDrivers drivers = sysfs.drivers();

        drivers.setDriverOverride("0000:41:00.1", PciDrivers.VFIO_PCI);
        drivers.unbind("0000:41:00.1");
        drivers.probe("0000:41:00.1");
        assertThat(drivers.driver("0000:41:00.1")).contains(PciDrivers.VFIO_PCI);

        drivers.clearDriverOverride("0000:41:00.1");
        drivers.unbind("0000:41:00.1");
        drivers.probe("0000:41:00.1");
        assertThat(drivers.driver("0000:41:00.1")).contains("snd_hda_intel");
    }

    @Test
    void withTheIommuOffVfioPciBindsNothing() throws Exception {
        Sysfs sysfs = boot("iommu=off\n" + H100 + "\n");
        PciDrivers drivers = sysfs.drivers();

        assertThat(Files.readString(dir.resolve("proc/cmdline"))).doesNotContain("iommu");
        assertThat(sysfs.iommuGroupCount()).isZero();
        assertThat(sysfs.iommuGroup("0000:65:00.0")).isEmpty();

        drivers.setDriverOverride("0000:65:00.0", PciDrivers.VFIO_PCI);
        drivers.unbind("0000:65:00.0");
        drivers.probe("0000:65:00.0");
        assertThat(drivers.driver("0000:65:00.0")).isEmpty();
    }

    @Test
    void firmwareOffKeepsTheCommandLineButMakesNoGroups() throws Exception {
        Sysfs sysfs = boot("iommu=firmware-off\n" + H100 + "\n");

        assertThat(Files.readString(dir.resolve("proc/cmdline"))).contains("intel_iommu=on");
        assertThat(sysfs.iommuGroupCount()).isZero();
    }

    @Test
    void withoutTheVfioModulesThereIsNoVfioPciDriver() {
        Sysfs sysfs = boot("vfio=missing\n" + H100 + "\n");

        assertThat(sysfs.moduleLoaded("vfio_pci")).isFalse();
        assertThat(sysfs.moduleLoaded("nvidia")).isTrue();
        assertThat(dir.resolve("sys/bus/pci/drivers/vfio-pci")).doesNotExist();
    }

    @Test
    void theDataCenterDriverHasNoVgpuTypesNoVfsAndNoVgpuManager() {
        Sysfs sysfs = boot("driver=datacenter\n" + A40 + "\n");

        assertThat(sysfs.numVfs("0000:41:00.0")).isZero();
        assertThat(sysfs.totalVfs("0000:41:00.0")).isEqualTo(2);
        assertThat(sysfs.mdevParents()).isEmpty();
        assertThat(sysfs.moduleLoaded("nvidia_vgpu_vfio")).isFalse();
        assertThat(dir.resolve("proc/2187")).doesNotExist();
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.virtualizationMode("0000:41:00.0")).isEqualTo(VirtualizationMode.NONE);
            assertThat(nvml.driverVersion()).isEqualTo("550.127.08");
        }
    }

    @Test
    void aStoppedVgpuManagerAndVfsNotEnabledAtBootAreVisible() {
        Sysfs sysfs = boot("vgpu_mgr=stopped\n" + A40 + " sriov_at_boot=off\n");

        assertThat(dir.resolve("proc/2187")).doesNotExist();
        assertThat(dir.resolve("proc/1/comm")).exists();
        assertThat(sysfs.numVfs("0000:41:00.0")).isZero();
        assertThat(sysfs.hasSriov("0000:41:00.0")).isTrue();
    }

    @Test
    void computeProcessesComeAndGo() {
        boot(H100 + " processes=2\n");
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.computeProcesses("0000:65:00.0")).hasSize(2);
            assertThat(Control.INSTANCE.vgpusim_set_compute_processes("0000:65:00.0", 0)).isZero();
            assertThat(nvml.computeProcesses("0000:65:00.0")).isEmpty();
        }
    }

    @Test
    void badHostLinesAreRefusedWithTheLine() {
        assertThatThrownBy(() -> boot("iommu=maybe\n" + H100 + "\n")).hasMessageContaining("line 1")
                .hasMessageContaining("iommu must be on|off|firmware-off");
        assertThatThrownBy(() -> boot("vfio=loaded\nvfio=missing\n" + H100 + "\n")).hasMessageContaining("line 2")
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> boot(H100 + " group_with=0000:65:00.0\n")).hasMessageContaining("group_with");
        assertThatThrownBy(() -> boot(H100 + " processes=-1\n")).hasMessageContaining("processes");
    }

    /** The simulator's test hook for host processes. */
    interface Control extends Library {
        Control INSTANCE = Native.load(NativeLibraries.resolve("vgpusim"), Control.class);

        int vgpusim_set_compute_processes(String pci, int count);
    }
}
