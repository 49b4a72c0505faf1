package io.vgpuhub.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.doctor.Readiness;
import io.vgpuhub.agent.doctor.ReadinessCheck;
import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.support.MutableClock;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * The scan runs the readiness checks only when the GPUs it saw changed or the readiness interval passed, not on every
 * control-loop round; a reading that did not change keeps its {@code checkedAt}.
 */
class InventoryScannerTests {

    @TempDir
    Path dir;

    Nvml nvml;
    Sysfs sysfs;
    MutableClock clock;
    InventoryScanner scanner;

    @BeforeEach
    void bootTwoA40s() {
        Path root = SimulatedHosts.bootTwoA40s(dir);
        nvml = Nvml.load(Nvml.SIMULATED_LIBRARY);
        sysfs = new Sysfs(root, KernelFiles.load(Nvml.SIMULATED_LIBRARY));
        clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
        scanner = new InventoryScanner(nvml, sysfs, null, Duration.ofMinutes(5), clock);
    }

    @AfterEach
    void closeNvml() {
        if (nvml != null) {
            nvml.close();
        }
    }

    @Test
    void theReadingStandsUntilTheGpusChangeOrTheIntervalPasses() throws Exception {
        Readiness first = scanner.scan(List.of()).readiness();
        assertThat(manager(first).status()).isEqualTo(ReadinessCheck.Status.OK);

        SimulatedHosts.stopVgpuManager(dir);      // only the doctor sees it
        clock.advance(Duration.ofMinutes(1));
        assertThat(scanner.scan(List.of()).readiness()).as("not checked again within the interval").isSameAs(first);

        sysfs.setNumVfs(SimulatedHosts.SECOND_A40_PF, 0);      // the scan sees this GPU change
        Readiness afterChange = scanner.scan(List.of()).readiness();
        assertThat(manager(afterChange).status()).isEqualTo(ReadinessCheck.Status.FAIL);
        assertThat(afterChange.checkedAt()).isEqualTo(clock.instant());

        clock.advance(Duration.ofMinutes(10));
        assertThat(scanner.scan(List.of()).readiness()).as("checked again, nothing new: same reading, same checkedAt")
                .isSameAs(afterChange);
    }

    @Test
    void theIntervalAloneBringsWhatOnlyTheDoctorSees() throws Exception {
        scanner.scan(List.of());

        SimulatedHosts.stopVgpuManager(dir);
        clock.advance(Duration.ofMinutes(5));

        assertThat(manager(scanner.scan(List.of()).readiness()).status()).isEqualTo(ReadinessCheck.Status.FAIL);
    }

    private static ReadinessCheck manager(Readiness readiness) {
        return readiness.checks().stream().filter(c -> c.check().equals("vgpu-manager")).findFirst().orElseThrow();
    }
}
