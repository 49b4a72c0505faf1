package io.vgpuhub.agent.doctor;

import static io.vgpuhub.agent.doctor.ReadinessCheck.Status.FAIL;
import static io.vgpuhub.agent.doctor.ReadinessCheck.Status.OK;
import static io.vgpuhub.agent.doctor.ReadinessCheck.Status.WARN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.reconcile.PassthroughRecord;
import io.vgpuhub.agent.reconcile.PassthroughStore;
import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;

/** Every readiness check on the simulated host, ready and broken, with the fix the operator gets. */
class DoctorTests {

    static final String A40_PF = SimulatedHosts.A40_PF;
    static final String A40 = "gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f vfs=2";
    static final String H100_PF = SimulatedHosts.H100_PF;
    static final String H100 = "gpu pci=0000:65:00.0 model=H100-80GB uuid=GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061";
    static final String A100_PF = SimulatedHosts.A100_80GB_PF;
    static final String A100 = "gpu pci=0000:ca:00.0 model=A100-80GB uuid=GPU-7c3b2e40-1f5d-4e9c-a081-2d3e4f506172";
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path dir;

    Sysfs sysfs;
    Nvml nvml;
    PassthroughStore passthrough;

    @AfterEach
    void closeNvml() {
        if (nvml != null) {
            nvml.close();
        }
    }

    private void boot(String hostFile) {
        Path root = dir.resolve("sys");
        SimulatedHost.boot(SimulatedHosts.hostFile(dir, hostFile), root);
        sysfs = new Sysfs(root, KernelFiles.load(Nvml.SIMULATED_LIBRARY));
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        passthrough = new PassthroughStore(dir.resolve("state"));
    }

    private Readiness doctor() {
        return new Doctor(sysfs, passthrough, Clock.fixed(NOW, ZoneOffset.UTC)).check(nvml);
    }

    private static ReadinessCheck check(Readiness readiness, String scope, String id) {
        return readiness.checks().stream().filter(c -> c.scope().equals(scope) && c.check().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " for " + scope + " in " + readiness.checks()));
    }

    @Test
    void aReadyHostPassesEveryCheckHostWideThenPerGpu() {
        boot(A40 + " audio=on\n" + H100 + " mig=on\n" + A100 + " mig=off\n");

        Readiness readiness = doctor();

        assertThat(readiness.checkedAt()).isEqualTo(NOW);
        assertThat(readiness.checks()).allSatisfy(c -> {
            assertThat(c.status()).as(c.toString()).isEqualTo(OK);
            assertThat(c.fix()).isNull();
        });
        assertThat(readiness.ready()).isTrue();
        assertThat(readiness.checks()).extracting(c -> c.scope() + " " + c.check()).containsExactly(
                "host iommu-cmdline", "host iommu-groups", "host vfio-modules", "host nvidia-driver", "host vgpu-manager",
                A40_PF + " driver-flavour", A40_PF + " gpu-driver", A40_PF + " sriov", A40_PF + " vf-drivers", A40_PF + " mig",
                A40_PF + " iommu-group",
                H100_PF + " driver-flavour", H100_PF + " gpu-driver", H100_PF + " sriov", H100_PF + " vf-drivers", H100_PF + " mig",
                H100_PF + " iommu-group",
                A100_PF + " driver-flavour", A100_PF + " gpu-driver", A100_PF + " sriov", A100_PF + " vf-drivers", A100_PF + " mig",
                A100_PF + " iommu-group");
        assertThat(check(readiness, "host", "iommu-cmdline").summary()).contains("intel_iommu=on");
        assertThat(check(readiness, "host", "nvidia-driver").summary()).contains("550.127.05").contains("vGPU host driver");
        assertThat(check(readiness, "host", "vgpu-manager").summary()).contains("pid 2187");
        assertThat(check(readiness, A40_PF, "driver-flavour").summary()).contains("HOST_VGPU");
        assertThat(check(readiness, A40_PF, "sriov").summary()).contains("2 of 2 VFs enabled");
        assertThat(check(readiness, A40_PF, "vf-drivers").summary()).contains("all 2 VFs are bound to nvidia");
        assertThat(check(readiness, H100_PF, "mig").summary()).isEqualTo("MIG enabled");
        assertThat(check(readiness, A100_PF, "mig").summary()).isEqualTo("MIG capable, disabled");
        assertThat(check(readiness, A40_PF, "mig").summary()).isEqualTo("no MIG on this GPU");
        // the GPU's audio function shares its group: passthrough takes it along
        assertThat(check(readiness, A40_PF, "iommu-group").summary())
                .contains("IOMMU group 16").contains("passthrough also takes 0000:41:00.1 (NVIDIA audio, snd_hda_intel)");
        assertThat(check(readiness, H100_PF, "iommu-group").summary()).contains("the GPU alone");
    }

    @Test
    void theIommuOffInTheCommandLineFailsWithTheGrubChange() {
        boot("iommu=off\n" + H100 + "\n");

        Readiness readiness = doctor();

        ReadinessCheck cmdline = check(readiness, "host", "iommu-cmdline");
        assertThat(cmdline.status()).isEqualTo(FAIL);
        assertThat(cmdline.fix()).contains("intel_iommu=on (Intel)", "amd_iommu=on (AMD)", "iommu=pt", "GRUB_CMDLINE_LINUX",
                "/etc/default/grub", "update-grub", "grub2-mkconfig", "reboot");
        assertThat(check(readiness, "host", "iommu-groups").status()).isEqualTo(FAIL);
        ReadinessCheck group = check(readiness, H100_PF, "iommu-group");
        assertThat(group.status()).isEqualTo(FAIL);
        assertThat(group.summary()).contains("cannot be passed through");
        assertThat(readiness.ready()).isFalse();
    }

    @Test
    void onAKnownCpuTheFixNamesOnlyItsParameterAndFirmwareSwitch() throws Exception {
        boot("iommu=off\n" + H100 + "\n");
        Files.writeString(dir.resolve("proc/cpuinfo"), "processor\t: 0\nvendor_id\t: AuthenticAMD\n");

        Readiness readiness = doctor();

        assertThat(check(readiness, "host", "iommu-cmdline").fix()).contains("add amd_iommu=on iommu=pt").doesNotContain("intel");
        assertThat(check(readiness, "host", "iommu-groups").fix()).contains("AMD-Vi").doesNotContain("VT-d");
    }

    @Test
    void theIommuOffInTheFirmwareFailsTheGroupsWithTheFirmwareStep() {
        boot("iommu=firmware-off\n" + H100 + "\n");

        Readiness readiness = doctor();

        assertThat(check(readiness, "host", "iommu-cmdline").status()).isEqualTo(OK);
        ReadinessCheck groups = check(readiness, "host", "iommu-groups");
        assertThat(groups.status()).isEqualTo(FAIL);
        assertThat(groups.summary()).contains("no IOMMU groups");
        assertThat(groups.fix()).contains("VT-d").contains("firmware").contains("reboot");
    }

    @Test
    void missingVfioModulesFailWithModprobeAndTheBootFile() {
        boot("vfio=missing\n" + H100 + "\n");

        ReadinessCheck vfio = check(doctor(), "host", "vfio-modules");

        assertThat(vfio.status()).isEqualTo(FAIL);
        assertThat(vfio.summary()).contains("vfio_pci").contains("vfio_iommu_type1");
        assertThat(vfio.fix()).contains("modprobe vfio-pci vfio_iommu_type1").contains("/etc/modules-load.d/vfio.conf");
    }

    @Test
    void theDataCenterDriverWarnsThatOnlyPassthroughAndMigRunAndTheHostIsStillReady() {
        boot("driver=datacenter\n" + A40 + "\n" + H100 + " mig=on\n");

        Readiness readiness = doctor();

        ReadinessCheck flavour = check(readiness, A40_PF, "driver-flavour");
        assertThat(flavour.status()).isEqualTo(WARN);
        assertThat(flavour.summary()).contains("data-center driver").contains("passthrough and bare MIG slices run, vGPU slices cannot");
        assertThat(flavour.fix()).contains("vGPU host driver").contains("vgpu-kvm").contains("NVIDIA Licensing Portal");
        assertThat(check(readiness, "host", "nvidia-driver").summary()).contains("550.127.08").contains("data-center driver");
        assertThat(check(readiness, "host", "vgpu-manager").status()).isEqualTo(WARN);
        // the VFs serve vGPU only: not enabling them is right for this driver
        assertThat(check(readiness, A40_PF, "sriov").status()).isEqualTo(OK);
        assertThat(check(readiness, H100_PF, "mig").summary()).isEqualTo("MIG enabled");
        assertThat(readiness.ready()).isTrue();
        assertThat(readiness.warnings()).isEqualTo(3);
    }

    @Test
    void aStoppedVgpuManagerFailsWithTheSystemctlCommand() {
        boot("vgpu_mgr=stopped\n" + A40 + "\n");

        ReadinessCheck manager = check(doctor(), "host", "vgpu-manager");

        assertThat(manager.status()).isEqualTo(FAIL);
        assertThat(manager.summary()).contains("nvidia-vgpu-mgr is not running");
        assertThat(manager.fix()).contains("systemctl enable --now nvidia-vgpu-mgr");
    }

    @Test
    void vfsNotEnabledAtBootFailWithSriovManageForThatGpu() {
        boot(A40 + " sriov_at_boot=off\n");

        Readiness readiness = doctor();

        ReadinessCheck sriov = check(readiness, A40_PF, "sriov");
        assertThat(sriov.status()).isEqualTo(FAIL);
        assertThat(sriov.summary()).contains("SR-IOV capable (2 VFs) but no VF is enabled");
        assertThat(sriov.fix()).contains("/usr/lib/nvidia/sriov-manage -e 0000:41:00.0").contains("at boot");
        assertThat(check(readiness, A40_PF, "vf-drivers").status()).isEqualTo(OK);

        // the fix works: with the VFs enabled the check passes
        sysfs.setNumVfs(A40_PF, 2);
        assertThat(check(doctor(), A40_PF, "sriov").status()).isEqualTo(OK);
    }

    @Test
    void aPendingMigChangeWarnsWithTheResetOfThatGpu() {
        boot(H100 + " mig=on\n" + A100 + " mig=off processes=2\n");
        nvml.mig().setMode(A100_PF, true);
        int index = nvml.gpus().stream().filter(g -> g.pciAddress().equals(A100_PF)).findFirst().orElseThrow().index();

        ReadinessCheck mig = check(doctor(), A100_PF, "mig");

        assertThat(mig.status()).isEqualTo(WARN);
        assertThat(mig.summary()).isEqualTo("MIG mode change pending: disabled now, enabled after a GPU reset");
        assertThat(mig.fix()).contains("nvidia-smi -i " + index + " -r").contains("stop the compute processes");

        SimulatedHosts.resetGpu(A100_PF);
        assertThat(check(doctor(), A100_PF, "mig").summary()).isEqualTo("MIG enabled");
    }

    @Test
    void aGpuUnboundFromNvidiaFailsWithTheBindCommand() {
        boot(A40 + "\n" + H100 + "\n");
        sysfs.drivers().unbind(H100_PF);

        Readiness readiness = doctor();

        ReadinessCheck driver = check(readiness, H100_PF, "gpu-driver");
        assertThat(driver.status()).isEqualTo(FAIL);
        assertThat(driver.summary()).startsWith("bound to no driver");
        assertThat(driver.fix()).contains("echo 0000:65:00.0 > /sys/bus/pci/drivers/nvidia/bind");
        assertThat(check(readiness, H100_PF, "mig").summary()).contains("NVML does not see the GPU");
        assertThat(check(readiness, H100_PF, "driver-flavour").status()).isEqualTo(OK);

        sysfs.drivers().bind(H100_PF, PciDrivers.NVIDIA);
        assertThat(check(doctor(), H100_PF, "gpu-driver").status()).isEqualTo(OK);
    }

    @Test
    void aGpuHeldByAnotherDriverFailsWithTheUnbindFromIt() {
        // the simulated kernel has no nouveau; ixgbe stands in for "some other driver" through driver_override
        boot(H100 + "\n");
        PciDrivers drivers = sysfs.drivers();
        drivers.setDriverOverride(H100_PF, "ixgbe");
        drivers.unbind(H100_PF);
        drivers.probe(H100_PF);
        assertThat(drivers.driver(H100_PF)).contains("ixgbe");

        ReadinessCheck driver = check(doctor(), H100_PF, "gpu-driver");

        assertThat(driver.status()).isEqualTo(FAIL);
        assertThat(driver.summary()).startsWith("bound to ixgbe, not nvidia");
        assertThat(driver.fix()).contains("echo > /sys/bus/pci/devices/0000:65:00.0/driver_override")
                .contains("echo 0000:65:00.0 > /sys/bus/pci/drivers/ixgbe/unbind")
                .contains("echo 0000:65:00.0 > /sys/bus/pci/drivers/nvidia/bind");
    }

    @Test
    void aGpuBoundToVfioPciByHandWarnsAndTheAgentsOwnBindingIsOk() {
        boot(H100 + " audio=on\n");
        PciDrivers drivers = sysfs.drivers();
        drivers.setDriverOverride(H100_PF, PciDrivers.VFIO_PCI);
        drivers.unbind(H100_PF);
        drivers.probe(H100_PF);
        assertThat(drivers.driver(H100_PF)).contains(PciDrivers.VFIO_PCI);

        Readiness byHand = doctor();

        ReadinessCheck driver = check(byHand, H100_PF, "gpu-driver");
        assertThat(driver.status()).isEqualTo(WARN);
        assertThat(driver.summary()).contains("outside vGPU Hub");
        assertThat(driver.fix()).contains("echo > /sys/bus/pci/devices/0000:65:00.0/driver_override")
                .contains("echo 0000:65:00.0 > /sys/bus/pci/drivers/vfio-pci/unbind")
                .contains("echo 0000:65:00.0 > /sys/bus/pci/drivers/nvidia/bind");
        assertThat(byHand.ready()).isTrue();

        passthrough.save(new PassthroughRecord(UUID.randomUUID(), H100_PF, SimulatedHosts.H100_UUID, "NVIDIA H100 PCIe", 81559, 0));
        Readiness own = doctor();
        assertThat(check(own, H100_PF, "gpu-driver").status()).isEqualTo(OK);
        assertThat(check(own, H100_PF, "gpu-driver").summary()).contains("by vGPU Hub for a passthrough slice");
        assertThat(check(own, H100_PF, "driver-flavour").summary()).contains("passed through by vGPU Hub");
    }

    @Test
    void aVfBoundToVfioPciFailsWithTheRebindLoop() {
        boot(A40 + "\n");
        String vf = sysfs.virtualFunctions(A40_PF).get(1);
        PciDrivers drivers = sysfs.drivers();
        drivers.setDriverOverride(vf, PciDrivers.VFIO_PCI);
        drivers.unbind(vf);
        drivers.probe(vf);
        assertThat(drivers.driver(vf)).contains(PciDrivers.VFIO_PCI);

        ReadinessCheck vfs = check(doctor(), A40_PF, "vf-drivers");

        assertThat(vfs.status()).isEqualTo(FAIL);
        assertThat(vfs.summary()).contains("1 of 2 VFs are not bound to nvidia").contains(vf + " (vfio-pci)");
        assertThat(vfs.fix()).startsWith("for vf in " + vf + ";").contains("/sys/bus/pci/drivers/nvidia/bind");
    }

    @Test
    void aForeignDeviceInTheGroupBlocksPassthroughWithTheSlotOrAcsFix() {
        boot(H100 + " audio=on group_with=0000:42:00.0\n");

        ReadinessCheck group = check(doctor(), H100_PF, "iommu-group");

        assertThat(group.status()).isEqualTo(FAIL);
        assertThat(group.summary()).contains("IOMMU group 16 also holds 0000:42:00.0 (Intel Ethernet, ixgbe)")
                .doesNotContain("0000:65:00.1 (");
        assertThat(group.fix()).contains("another slot").contains("ACS").contains("0000:42:00.0");
    }

    @Test
    void aForeignDeviceBoundToNoDriverDoesNotBlockPassthroughButMustStayUnbound() {
        boot(H100 + " audio=on group_with=0000:42:00.0\n");
        sysfs.drivers().unbind("0000:42:00.0");

        ReadinessCheck group = check(doctor(), H100_PF, "iommu-group");

        assertThat(group.status()).isEqualTo(WARN);
        assertThat(group.summary()).startsWith("IOMMU group 16: passthrough also takes 0000:65:00.1 (NVIDIA audio, snd_hda_intel)")
                .contains("also holds 0000:42:00.0 (Intel Ethernet, no driver), bound to no driver, which VFIO allows while it stays so");
        assertThat(group.fix()).startsWith("keep 0000:42:00.0 without a driver");
    }

    @Test
    void withoutNvmlTheDriverFailsAndTheGpuChecksUseSysfs() {
        boot(A40 + "\n");

        Readiness readiness = new Doctor(sysfs, passthrough, Clock.systemUTC()).checkWithoutNvml("libnvidia-ml.so.1: not found");

        ReadinessCheck driver = check(readiness, "host", "nvidia-driver");
        assertThat(driver.status()).isEqualTo(FAIL);
        assertThat(driver.summary()).contains("libnvidia-ml.so.1: not found").contains("550.127.05");
        assertThat(check(readiness, A40_PF, "gpu-driver").status()).isEqualTo(OK);
        assertThat(check(readiness, A40_PF, "sriov").status()).isEqualTo(OK);
        // nvidia_vgpu_vfio is loaded: sysfs alone says the vGPU host driver
        assertThat(check(readiness, A40_PF, "driver-flavour").status()).isEqualTo(OK);
        assertThat(check(readiness, A40_PF, "mig").summary()).contains("MIG mode unknown");
    }

    @Test
    void longSummariesAndFixesAreCutToTheContractsLimits() {
        ReadinessCheck c = ReadinessCheck.fail("host", "x", "s".repeat(400), "f".repeat(600));
        assertThat(c.summary()).hasSize(300).endsWith("…");
        assertThat(c.fix()).hasSize(500);
        assertThat(ReadinessCheck.ok("host", "x", "fine").fix()).isNull();
        assertThat(List.of(WARN, FAIL)).allSatisfy(s -> org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new ReadinessCheck("host", "x", s, "summary", null)).isInstanceOf(IllegalArgumentException.class));
    }
}
