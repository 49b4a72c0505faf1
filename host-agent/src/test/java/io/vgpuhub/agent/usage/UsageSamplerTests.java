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
import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;

class UsageSamplerTests {

    @TempDir
    Path dir;

    @Test
    void aFailedUploadIsRetriedWithTheSameBatchIdBeforeNewerBatches() throws Exception {
        SimulatedHosts.bootTwoA40s(dir);
        UUID slice = UUID.randomUUID();
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00.750Z"), ZoneOffset.UTC);
        try (FakeAgentApi api = new FakeAgentApi(); Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            UsageSampler sampler = new UsageSampler(nvml, new ServerClient(api.url(), FakeAgentApi.TOKEN),
                    () -> List.of(new ReadySlice(slice, SimulatedHosts.A40_PF, slice, 8192)), clock);
            api.failUsageUploads(1);

            sampler.sampleAndUpload();
            assertThat(sampler.pendingBatches()).isEqualTo(1);
            sampler.sampleAndUpload();

            List<FakeAgentApi.Received> uploads = api.received("POST", "/api/agent/v1/usage");
            assertThat(uploads).hasSize(3);
            String firstBatch = uploads.get(0).body().get("batchId").asString();
            assertThat(uploads.get(1).body().get("batchId").asString()).isEqualTo(firstBatch);
            assertThat(uploads.get(2).body().get("batchId").asString()).isNotEqualTo(firstBatch);
            assertThat(uploads.get(0).body().get("samples").get(0).get("sampledAt").asString()).isEqualTo("2026-11-24T10:00:00Z");
            assertThat(sampler.pendingBatches()).isZero();
        }
    }

    @Test
    void nothingIsUploadedWithoutReadySlices() throws Exception {
        SimulatedHosts.bootTwoA40s(dir);
        try (FakeAgentApi api = new FakeAgentApi(); Nvml nvml = Nvml.load(Nvml.SIMULATED_LIBRARY)) {
            new UsageSampler(nvml, new ServerClient(api.url(), FakeAgentApi.TOKEN), List::of, Clock.systemUTC()).sampleAndUpload();
            assertThat(api.received()).isEmpty();
        }
    }
}
