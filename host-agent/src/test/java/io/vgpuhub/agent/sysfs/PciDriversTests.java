package io.vgpuhub.agent.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.nvml.GpuInfo;
import io.vgpuhub.agent.nvml.MigMode;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.NvmlException;
import io.vgpuhub.agent.sim.SimulatedHost;
import io.vgpuhub.agent.support.SimulatedHosts;

/**
 * The kernel's documented way to hand a GPU to vfio-pci and back (driver_override, driver/unbind, drivers_probe), through
 * the real sysfs code and JNA binding against the simulated driver core, and what NVML sees meanwhile.
 */
class PciDriversTests {

    static final String A40 = SimulatedHosts.A40_PF;
    static final String H100 = SimulatedHosts.H100_PF;

    /** An A40 with 4 VFs, an H100 with MIG on and an A100-40GB with MIG on. */
    static final String HOST = """
            gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f vfs=4
            gpu pci=0000:65:00.0 model=H100-80GB uuid=GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061 mig=on
            gpu pci=0000:17:00.0 model=A100-40GB uuid=GPU-5a1f0c2e-9d3b-4c7a-8e6f-0b1c2d3e4f50 mig=on
            """;

    @TempDir
    Path dir;

    Path root;
    Sysfs sysfs;
    PciDrivers drivers;
    Nvml nvml;

    @BeforeEach
    void boot() {
        root = dir.resolve("sys");
        SimulatedHost.boot(SimulatedHosts.hostFile(dir, HOST), root);
        sysfs = new Sysfs(root, KernelFiles.load("vgpusim"));
        drivers = sysfs.drivers();
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
    }

    @AfterEach
    void close() {
        nvml.close();
    }

    @Test
    void everyGpuBootsBoundToNvidiaWithoutAnOverride() {
        assertThat(drivers.nvidiaGpus()).containsExactly(SimulatedHosts.A100_40GB_PF, A40, H100);
        assertThat(drivers.driver(A40)).contains("nvidia");
        assertThat(drivers.driver("0000:41:00.4")).as("a VF").contains("nvidia");
        assertThat(drivers.driverOverride(A40)).isEmpty();
        assertThat(root.resolve("bus/pci/devices/" + A40 + "/driver/unbind")).as("the driver link resolves").exists();
        assertThat(root.resolve("bus/pci/drivers/nvidia/" + A40)).isSymbolicLink();
    }

    @Test
    void overrideUnbindAndProbeHandTheGpuToVfioPciAndNvmlNoLongerSeesIt() {
        drivers.setDriverOverride(H100, "vfio-pci");
        assertThat(drivers.driverOverride(H100)).contains("vfio-pci");
        assertThat(drivers.driver(H100)).as("the override alone changes nothing").contains("nvidia");

        drivers.unbind(H100);
        assertThat(drivers.driver(H100)).isEmpty();
        drivers.probe(H100);

        assertThat(drivers.driver(H100)).contains("vfio-pci");
        assertThat(root.resolve("bus/pci/drivers/vfio-pci/" + H100)).isSymbolicLink();
        assertThat(root.resolve("bus/pci/drivers/nvidia/" + H100)).doesNotExist();
        assertThat(nvml.gpus()).extracting(GpuInfo::pciAddress).containsExactly(A40, SimulatedHosts.A100_40GB_PF);
        assertThatThrownBy(() -> nvml.gpu(H100)).isInstanceOf(NvmlException.class).hasMessageContaining("NVML_ERROR_NOT_FOUND");
    }

    @Test
    void clearingTheOverrideUnbindingAndProbingAgainGivesTheGpuBackToNvidia() {
        handToVfio(H100);

        drivers.clearDriverOverride(H100);
        assertThat(drivers.driverOverride(H100)).isEmpty();
        drivers.probe(H100);
        assertThat(drivers.driver(H100)).as("drivers_probe leaves a bound device alone").contains("vfio-pci");
        drivers.unbind(H100);
        drivers.probe(H100);

        assertThat(drivers.driver(H100)).contains("nvidia");
        assertThat(nvml.gpu(H100).uuid()).isEqualTo("GPU-6b2a1d3f-0e4c-4d8b-9f70-1c2d3e4f5061");
        assertThat(nvml.mig().mode(H100)).as("Hopper's MIG mode does not survive a driver reload")
                .isEqualTo(new MigMode(false, false));
    }

    @Test
    void theKernelsErrnosForBindUnbindProbeAndOverride() {
        assertErrno(() -> drivers.bind(A40, "nvidia"), "EBUSY");
        assertErrno(() -> drivers.bind(A40, "vfio-pci"), "ENODEV");   // vfio-pci has no id table: only an override matches
        drivers.setDriverOverride(A40, "vfio-pci");
        drivers.unbind(A40);
        assertErrno(() -> drivers.bind(A40, "nvidia"), "ENODEV");     // the override names another driver
        drivers.bind(A40, "vfio-pci");
        assertThat(drivers.driver(A40)).contains("vfio-pci");

        KernelFiles kernel = KernelFiles.load("vgpusim");
        assertErrno(() -> kernel.write(root.resolve("bus/pci/drivers/nvidia/unbind"), A40), "ENODEV");   // bound to vfio-pci
        assertErrno(() -> kernel.write(root.resolve("bus/pci/drivers_probe"), "0000:99:00.0"), "ENODEV");
        assertErrno(() -> kernel.write(root.resolve("bus/pci/drivers/vfio-pci/bind"), "0000:99:00.0"), "ENODEV");
        assertErrno(() -> kernel.writeTruncating(root.resolve("bus/pci/devices/" + H100 + "/driver_override"), "x".repeat(4095)),
                "EINVAL");
        assertThat(drivers.driverOverride(H100)).isEmpty();
    }

    @Test
    void unbindingAnSriovGpuFromNvidiaTakesItsVfsAndMdevsAway() {
        UUID mdev = UUID.randomUUID();
        sysfs.createMdev("0000:41:00.5", "nvidia-557", mdev);

        drivers.unbind(A40);

        assertThat(sysfs.numVfs(A40)).isZero();
        assertThat(sysfs.virtualFunctions(A40)).isEmpty();
        assertThat(sysfs.mdevs()).isEmpty();
        drivers.probe(A40);
        assertThat(drivers.driver(A40)).contains("nvidia");
        assertThat(sysfs.numVfs(A40)).as("VFs come back only with sriov-manage -e").isZero();
    }

    @Test
    void vfioPciRefusesTheVfsOfAVendorVfioHost() {
        root = dir.resolve("vfio-sys");
        SimulatedHost.boot(SimulatedHosts.hostFile(dir.resolve("vfio"), "vgpu_framework=vfio\n" + HOST), root);
        sysfs = new Sysfs(root, KernelFiles.load("vgpusim"));
        drivers = sysfs.drivers();
        String vf = "0000:41:00.4";
        drivers.setDriverOverride(vf, "vfio-pci");
        drivers.unbind(vf);

        assertErrno(() -> drivers.bind(vf, "vfio-pci"), "EINVAL");
        drivers.probe(vf);
        assertThat(drivers.driver(vf)).as("drivers_probe hides the probe's error; the link tells").isEmpty();
        drivers.clearDriverOverride(vf);
        drivers.probe(vf);
        assertThat(drivers.driver(vf)).contains("nvidia");
        assertThat(sysfs.hasVendorVfio(vf)).isTrue();
    }

    @Test
    void migInstancesDoNotSurviveTheTripThroughVfioPci() {
        String a100 = SimulatedHosts.A100_40GB_PF;
        nvml.mig().create(a100, 19, 0);

        handToVfio(a100);
        drivers.clearDriverOverride(a100);
        drivers.unbind(a100);
        drivers.probe(a100);

        assertThat(nvml.mig().mode(a100)).as("Ampere keeps its MIG mode").isEqualTo(new MigMode(true, true));
        assertThat(nvml.mig().instances(a100)).isEmpty();
    }

    @Test
    void namesThatAreNotDriversOrPciAddressesAreRefusedBeforeAnyWrite() {
        assertThatThrownBy(() -> drivers.setDriverOverride(A40, "../nvidia")).isInstanceOf(UnsafeSysfsPathException.class);
        assertThatThrownBy(() -> drivers.probe("41:00.0")).isInstanceOf(UnsafeSysfsPathException.class);
        assertThat(drivers.driverOverride(A40)).isEqualTo(Optional.empty());
    }

    private void handToVfio(String gpu) {
        drivers.setDriverOverride(gpu, "vfio-pci");
        drivers.unbind(gpu);
        drivers.probe(gpu);
        assertThat(drivers.driver(gpu)).contains("vfio-pci");
    }

    private static void assertErrno(Runnable write, String errno) {
        assertThatThrownBy(write::run).isInstanceOf(KernelWriteException.class)
                .satisfies(e -> assertThat(((KernelWriteException) e).errnoName()).isEqualTo(errno));
    }
}
