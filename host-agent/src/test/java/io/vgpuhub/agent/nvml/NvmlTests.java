package io.vgpuhub.agent.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

class NvmlTests {

    @TempDir
    Path dir;

    @Test
    void listsTheSimulatedGpusWithTheIdentityFromTheHostFile() {
        SimulatedHosts.bootTwoA40s(dir);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.gpus()).containsExactly(
                    new GpuInfo(0, "NVIDIA A40", SimulatedHosts.A40_UUID, "0000:41:00.0", 0x223510DE, 46068, 531),
                    new GpuInfo(1, "NVIDIA A40", SimulatedHosts.SECOND_A40_UUID, "0000:c1:00.0", 0x223510DE, 46068, 531));
            assertThat(nvml.driverVersion()).isNotBlank();
        }
    }

    @Test
    void theSimulatedGpusSurviveTheGarbageCollectorBetweenBootAndUse() throws InterruptedException {
        SimulatedHosts.bootTwoA40s(dir);
        // The binding that configured the simulator is unreachable now; JNA would unload an unpinned library here.
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.gpus()).hasSize(2);
        }
    }

    @Test
    void findsAGpuByItsBusIdInEitherForm() {
        SimulatedHosts.bootTwoA40s(dir);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.gpu("0000:c1:00.0").uuid()).isEqualTo(SimulatedHosts.SECOND_A40_UUID);
            assertThat(nvml.gpu("00000000:C1:00.0").uuid()).isEqualTo(SimulatedHosts.SECOND_A40_UUID);
        }
    }

    @Test
    void reportsUtilizationAsPercentages() {
        SimulatedHosts.bootTwoA40s(dir);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            Utilization utilization = nvml.utilization("0000:41:00.0");
            assertThat(utilization.gpuPercent()).isBetween(0, 100);
            assertThat(utilization.memoryPercent()).isBetween(0, 100);
        }
    }

    @Test
    void anUnknownBusIdComesBackAsNotFoundWithNvmlsOwnText() {
        SimulatedHosts.bootTwoA40s(dir);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThatThrownBy(() -> nvml.utilization("0000:99:00.0"))
                    .isInstanceOfSatisfying(NvmlException.class, e -> {
                        assertThat(e.codeName()).isEqualTo("NVML_ERROR_NOT_FOUND");
                        assertThat(e.code()).isEqualTo(6);
                    })
                    .hasMessageContaining("Not Found");
            assertThatThrownBy(() -> nvml.gpu("not-a-bus-id"))
                    .isInstanceOfSatisfying(NvmlException.class,
                            e -> assertThat(e.codeName()).isEqualTo("NVML_ERROR_INVALID_ARGUMENT"));
        }
    }

    @Test
    void findsAGpuByItsUuidOrTheGpuHoldingAMigDevice() {
        SimulatedHosts.bootMigBoards(dir);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.gpuByUuid(SimulatedHosts.A100_40GB_UUID)).hasValueSatisfying(
                    gpu -> assertThat(gpu.pciAddress()).isEqualTo(SimulatedHosts.A100_40GB_PF));
            assertThat(nvml.gpuByUuid("GPU-00000000-0000-0000-0000-000000000000")).isEmpty();
            assertThat(nvml.gpuByUuid("MIG-00000000-0000-0000-0000-000000000000")).isEmpty();
            String migUuid = nvml.mig().create(SimulatedHosts.A100_40GB_PF, 9, 4).migDeviceUuids().get(0);
            assertThat(nvml.gpuByUuid(migUuid)).hasValueSatisfying(
                    gpu -> assertThat(gpu.uuid()).isEqualTo(SimulatedHosts.A100_40GB_UUID));
        }
    }

    @Test
    void reportsOneProcessPerActiveVgpuAndNothingNewerThanTheLastSample() {
        Sysfs sysfs = new Sysfs(SimulatedHosts.bootTwoA40s(dir), KernelFiles.load("vgpusim"));
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThat(nvml.processUtilization(SimulatedHosts.A40_PF, 0)).isEmpty();
            sysfs.createMdev("0000:41:00.4", "nvidia-557", UUID.randomUUID());
            List<ProcessUtilization> processes = nvml.processUtilization(SimulatedHosts.A40_PF, 0);
            assertThat(processes).singleElement().satisfies(p -> {
                assertThat(p.pid()).isPositive();
                assertThat(p.smPercent()).isBetween(0, 100);
            });
            long lastSeen = processes.get(0).timestampMicros();
            List<ProcessUtilization> newer = nvml.processUtilization(SimulatedHosts.A40_PF, lastSeen);
            if (!newer.isEmpty()) {
                lastSeen = newer.get(0).timestampMicros();
                newer = nvml.processUtilization(SimulatedHosts.A40_PF, lastSeen);
            }
            assertThat(newer).isEmpty();
        }
    }

    @Test
    void processUtilizationIsNotSupportedOnMigEnabledGpus() {
        SimulatedHosts.bootMigBoards(dir);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            assertThatThrownBy(() -> nvml.processUtilization(SimulatedHosts.A100_40GB_PF, 0))
                    .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.codeName()).isEqualTo("NVML_ERROR_NOT_SUPPORTED"));
            assertThat(nvml.processUtilization(SimulatedHosts.A100_80GB_PF, 0)).isEmpty();
        }
    }

    @Test
    void callsAfterShutdownAreUninitialized() {
        SimulatedHosts.bootTwoA40s(dir);
        Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        nvml.close();
        assertThatThrownBy(nvml::gpus)
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.codeName()).isEqualTo("NVML_ERROR_UNINITIALIZED"));
    }

    @Test
    void normalisesNvmlBusIdsToSysfsAddresses() {
        assertThat(Nvml.toSysfsAddress("00000000:41:00.0")).isEqualTo("0000:41:00.0");
        assertThat(Nvml.toSysfsAddress("00000001:C1:1F.0")).isEqualTo("0001:c1:1f.0");
        assertThatThrownBy(() -> Nvml.toSysfsAddress("41:00.0")).isInstanceOf(IllegalArgumentException.class);
    }
}
