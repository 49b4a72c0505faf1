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
import io.vgpuhub.agent.reconcile.ReadySlice;
import io.vgpuhub.agent.server.UsageBatch;
import io.vgpuhub.agent.support.SimulatedHosts;

class UsageSamplerTests {

    @TempDir
    Path dir;

    @Test
    void samplesEveryReadySliceIntoTheSpool() throws Exception {
        SimulatedHosts.bootTwoA40s(dir);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00.750Z"), ZoneOffset.UTC);
        try (Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY); UsageSpool spool = UsageSpool.open(dir.resolve("spool"))) {
            UsageSampler sampler = new UsageSampler(nvml, () -> List.of(new ReadySlice(first, SimulatedHosts.A40_PF, first, 8192),
                    new ReadySlice(second, SimulatedHosts.SECOND_A40_PF, second, 4096)), clock, spool);
            sampler.sampleOnce();
            sampler.sampleOnce();

            List<UsageBatch.Sample> spooled = SpoolSamples.drain(spool);
            assertThat(spooled).hasSize(4);
            assertThat(spooled).extracting(UsageBatch.Sample::sliceId)
                    .containsExactly(first.toString(), second.toString(), first.toString(), second.toString());
            assertThat(spooled).extracting(UsageBatch.Sample::sampledAt).containsOnly("2026-11-24T10:00:00Z");
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
