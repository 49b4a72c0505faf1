package io.vgpuhub.agent.nvml;

import static io.vgpuhub.agent.support.SimulatedHosts.A40_PF;
import static io.vgpuhub.agent.support.SimulatedHosts.SECOND_A40_PF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The vGPU facade through the real binding into the simulator; mdevs are made through the simulated kernel. */
class VgpusTests {

    static final String FIRST_VF = "0000:41:00.4";
    static final String VWS = "Quadro-Virtual-DWS,5.0;GRID-Virtual-WS,2.0;GRID-Virtual-WS-Ext,2.0";

    @TempDir
    Path dir;

    private Sysfs sysfs;
    private Nvml nvml;
    private Vgpus vgpus;

    @BeforeEach
    void boot() {
        sysfs = new Sysfs(SimulatedHosts.bootTwoA40s(dir), KernelFiles.load("vgpusim"));
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        vgpus = nvml.vgpus();
    }

    @AfterEach
    void close() {
        nvml.close();
    }

    @Test
    void theA40TypesCarryTheirFramebufferMaximumClassAndLicense() {
        List<VgpuType> types = vgpus.supportedTypes(A40_PF);

        assertThat(types).hasSize(19);
        assertThat(types).filteredOn(t -> t.name().equals("NVIDIA A40-8Q"))
                .containsExactly(new VgpuType(557, "NVIDIA A40-8Q", "Quadro", 8192, 6, VWS));
        assertThat(types).filteredOn(t -> t.name().equals("NVIDIA A40-2B")).singleElement()
                .satisfies(t -> assertThat(t.license()).startsWith("GRID-Virtual-PC,2.0;").isEqualTo(
                        "GRID-Virtual-PC,2.0;Quadro-Virtual-DWS,5.0;GRID-Virtual-WS,2.0;GRID-Virtual-WS-Ext,2.0"))
                .satisfies(t -> assertThat(t.typeClass()).isEqualTo("NVS"));
        assertThat(types).filteredOn(t -> t.name().equals("NVIDIA A40-48C")).singleElement()
                .isEqualTo(new VgpuType(568, "NVIDIA A40-48C", "Compute", 49152, 1, "NVIDIA-vComputeServer,9.0;Quadro-Virtual-DWS,5.0"));
    }

    @Test
    void creatableTypesShrinkToTheRunningSizeAndComeBackAfterRemoval() {
        assertThat(vgpus.creatableTypes(A40_PF)).hasSize(19);
        UUID mdev = UUID.randomUUID();

        sysfs.createMdev(FIRST_VF, "nvidia-557", mdev);
        assertThat(vgpus.creatableTypes(A40_PF)).extracting(VgpuType::name).containsExactly("NVIDIA A40-8Q", "NVIDIA A40-8C");
        assertThat(vgpus.creatableTypes(SECOND_A40_PF)).hasSize(19);

        sysfs.removeMdev(mdev);
        assertThat(vgpus.creatableTypes(A40_PF)).hasSize(19);
    }

    @Test
    void aCreatedMdevIsAnActiveVgpuOfItsTypeUntilItIsRemoved() {
        assertThat(vgpus.activeVgpus(A40_PF)).isEmpty();
        UUID mdev = UUID.randomUUID();

        sysfs.createMdev(FIRST_VF, "nvidia-557", mdev);
        List<VgpuInstance> active = vgpus.activeVgpus(A40_PF);

        assertThat(active).singleElement().satisfies(v -> {
            assertThat(v.mdevUuid()).isEqualTo(mdev);
            assertThat(v.vgpuUuid()).isNotEqualTo(mdev);
            assertThat(v.typeId()).isEqualTo(557);
            assertThat(v.typeName()).isEqualTo("NVIDIA A40-8Q");
            assertThat(v.framebufferUsedMib()).isBetween(1L, 8192L);
            assertThat(v.instanceId()).isPositive();
        });
        assertThat(vgpus.activeVgpus(SECOND_A40_PF)).isEmpty();

        sysfs.removeMdev(mdev);
        assertThat(vgpus.activeVgpus(A40_PF)).isEmpty();
    }

    @Test
    void anMdevThatOutlivesARestartOfTheSimulatedHostIsStillAnActiveVgpu() {
        UUID mdev = UUID.randomUUID();
        sysfs.createMdev(FIRST_VF, "nvidia-557", mdev);
        nvml.close();

        SimulatedHosts.bootTwoA40s(dir);   // the same tree: the host keeps its VFs and mdevs
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        vgpus = nvml.vgpus();

        assertThat(vgpus.activeVgpus(A40_PF)).extracting(VgpuInstance::mdevUuid).containsExactly(mdev);
        assertThat(vgpus.creatableTypes(A40_PF)).extracting(VgpuType::id).containsExactly(557, 564);
    }

    @Test
    void theGuestIsUnlicensedAtFirstAndThenLicensedWithAValidExpiry() throws InterruptedException {
        UUID mdev = UUID.randomUUID();
        sysfs.createMdev(FIRST_VF, "nvidia-564", mdev);

        VgpuInstance fresh = vgpus.activeVgpus(A40_PF).get(0);
        assertThat(fresh.licenseState()).isEqualTo(VgpuLicenseState.UNLICENSED_UNRESTRICTED);
        assertThat(fresh.licenseExpiry()).isNull();

        Instant deadline = Instant.now().plusSeconds(10);
        VgpuInstance later = fresh;
        while (later.licenseState() != VgpuLicenseState.LICENSED && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            later = vgpus.activeVgpus(A40_PF).get(0);
        }
        assertThat(later.licenseState()).isEqualTo(VgpuLicenseState.LICENSED);
        assertThat(later.licenseExpiry()).isAfter(Instant.now().plus(Duration.ofDays(80)));
    }

    @Test
    void utilizationIsKeyedByMdevUuid() {
        assertThat(vgpus.vgpuUtilization(A40_PF)).isEmpty();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        sysfs.createMdev(FIRST_VF, "nvidia-557", first);
        sysfs.createMdev("0000:41:00.5", "nvidia-557", second);

        Map<UUID, VgpuUtilization> utilization = vgpus.vgpuUtilization(A40_PF);

        assertThat(utilization).containsOnlyKeys(first, second);
        assertThat(utilization.values()).allSatisfy(u -> {
            assertThat(u.smPercent()).isBetween(0, 100);
            assertThat(u.memoryPercent()).isBetween(0, 100);
            assertThat(u.timestampMicros()).isPositive();
        });
        // Samples fall on the whole second: a second boundary may come between two calls, never two.
        long newest = newest(utilization);
        Map<UUID, VgpuUtilization> newer = vgpus.vgpuUtilizationSince(A40_PF, newest);
        if (!newer.isEmpty()) {
            assertThat(newest(newer)).isGreaterThan(newest);
            newer = vgpus.vgpuUtilizationSince(A40_PF, newest(newer));
        }
        assertThat(newer).isEmpty();
    }

    private static long newest(Map<UUID, VgpuUtilization> utilization) {
        return utilization.values().stream().mapToLong(VgpuUtilization::timestampMicros).max().orElseThrow();
    }

    @Test
    void anUnknownGpuIsNotFound() {
        assertThatThrownBy(() -> vgpus.activeVgpus("0000:99:00.0"))
                .isInstanceOfSatisfying(NvmlException.class, e -> assertThat(e.codeName()).isEqualTo("NVML_ERROR_NOT_FOUND"));
    }
}
