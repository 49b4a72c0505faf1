package io.vgpuhub.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.nvml.Nvml;
import io.vgpuhub.agent.nvml.VgpuInstance;
import io.vgpuhub.agent.nvml.VgpuUtilization;
import io.vgpuhub.agent.nvml.Vgpus;
import io.vgpuhub.agent.reconcile.ReadySlice;
import io.vgpuhub.agent.server.UsageBatch;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Sysfs;

class UsageSamplerTests {

    @TempDir
    Path dir;

    @Test
    void samplesTheSlicesOwnVgpuFromNvml() throws Exception {
        Sysfs sysfs = new Sysfs(SimulatedHosts.bootTwoA40s(dir), KernelFiles.load("vgpusim"));
        UUID slice = UUID.randomUUID();
        UUID mdev = UUID.randomUUID();
        sysfs.createMdev("0000:41:00.4", "nvidia-557", mdev);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY); UsageSpool spool = UsageSpool.open(dir.resolve("spool"))) {
            Vgpus vgpus = nvml.vgpus();
            UsageSampler sampler = new UsageSampler(nvml, () -> List.of(new ReadySlice(slice, SimulatedHosts.A40_PF, mdev, 8192)),
                    Clock.systemUTC(), spool);

            // NVML's figures change on the whole second: the sampler's tick lies between these two reads.
            VgpuInstance vgpuBefore = vgpus.activeVgpus(SimulatedHosts.A40_PF).get(0);
            VgpuUtilization utilizationBefore = vgpus.vgpuUtilization(SimulatedHosts.A40_PF).get(mdev);
            sampler.sampleOnce();
            VgpuInstance vgpuAfter = vgpus.activeVgpus(SimulatedHosts.A40_PF).get(0);
            VgpuUtilization utilizationAfter = vgpus.vgpuUtilization(SimulatedHosts.A40_PF).get(mdev);

            UsageBatch.Sample sample = SpoolSamples.drain(spool).get(0);
            assertThat(sample.sliceId()).isEqualTo(slice.toString());
            assertThat(sample.memoryUsedMib()).isIn(vgpuBefore.framebufferUsedMib(), vgpuAfter.framebufferUsedMib())
                    .isBetween(1L, 8192L * 3 / 4);
            assertThat(sample.gpuUtilizationPercent()).isIn(utilizationBefore.smPercent(), utilizationAfter.smPercent());
            assertThat(sample.licenseState()).isIn(vgpuBefore.licenseState().name(), vgpuAfter.licenseState().name());
        }
    }

    @Test
    void aSliceWithoutAVgpuInNvmlFallsBackToItsPhysicalGpu() throws Exception {
        Sysfs sysfs = new Sysfs(SimulatedHosts.bootTwoA40s(dir), KernelFiles.load("vgpusim"));
        UUID withVgpu = UUID.randomUUID();
        UUID withoutVgpu = UUID.randomUUID();
        UUID mdev = UUID.randomUUID();
        sysfs.createMdev("0000:41:00.4", "nvidia-557", mdev);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY); UsageSpool spool = UsageSpool.open(dir.resolve("spool"))) {
            UsageSampler sampler = new UsageSampler(nvml, () -> List.of(new ReadySlice(withVgpu, SimulatedHosts.A40_PF, mdev, 8192),
                    new ReadySlice(withoutVgpu, SimulatedHosts.A40_PF, UUID.randomUUID(), 8192)), Clock.systemUTC(), spool);
            sampler.sampleOnce();
            sysfs.removeMdev(mdev);
            sampler.sampleOnce();

            List<UsageBatch.Sample> spooled = SpoolSamples.drain(spool);
            assertThat(spooled).extracting(UsageBatch.Sample::sliceId)
                    .containsExactly(withVgpu.toString(), withoutVgpu.toString(), withVgpu.toString(), withoutVgpu.toString());
            assertThat(spooled.get(0).memoryUsedMib()).isLessThan(8192L);
            // the type's framebuffer: what the sampler reports when NVML has no vGPU for the slice
            assertThat(spooled.subList(1, 4)).extracting(UsageBatch.Sample::memoryUsedMib).containsOnly(8192L);
            assertThat(spooled.get(0).licenseState()).isNotNull();
            assertThat(spooled.get(1).licenseState()).as("no vGPU, no license state").isNull();
            assertThat(spooled).allSatisfy(s -> assertThat(s.gpuUtilizationPercent()).isBetween(0, 100));
        }
    }

    /** No slice's mdev exists here, so every sample comes from the physical GPU and the type's framebuffer. */
    @Test
    void samplesEveryReadySliceIntoTheSpool() throws Exception {
        SimulatedHosts.bootTwoA40s(dir);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00.750123456Z"), ZoneOffset.UTC);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY); UsageSpool spool = UsageSpool.open(dir.resolve("spool"))) {
            UsageSampler sampler = new UsageSampler(nvml, () -> List.of(new ReadySlice(first, SimulatedHosts.A40_PF, first, 8192),
                    new ReadySlice(second, SimulatedHosts.SECOND_A40_PF, second, 4096)), clock, spool);
            sampler.sampleOnce();
            sampler.sampleOnce();

            List<UsageBatch.Sample> spooled = SpoolSamples.drain(spool);
            assertThat(spooled).hasSize(4);
            assertThat(spooled).extracting(UsageBatch.Sample::sliceId)
                    .containsExactly(first.toString(), second.toString(), first.toString(), second.toString());
            assertThat(spooled).extracting(UsageBatch.Sample::sampledAt).containsOnly("2026-11-24T10:00:00.750Z");
            assertThat(spooled).extracting(UsageBatch.Sample::memoryUsedMib).containsExactly(8192L, 4096L, 8192L, 4096L);
            assertThat(spooled).allSatisfy(s -> assertThat(s.gpuUtilizationPercent()).isBetween(0, 100));
        }
    }

    @Test
    void nothingIsSpooledWithoutReadySlices() throws Exception {
        SimulatedHosts.bootTwoA40s(dir);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY); UsageSpool spool = UsageSpool.open(dir.resolve("spool"))) {
            new UsageSampler(nvml, List::of, Clock.systemUTC(), spool).sampleOnce();
            assertThat(spool.pendingSamples()).isZero();
            assertThat(spool.nextBatch()).isEmpty();
        }
    }
}
