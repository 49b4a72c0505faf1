package io.vgpuhub.agent.usage;

import static io.vgpuhub.agent.usage.SpoolSamples.sample;
import static io.vgpuhub.agent.usage.SpoolSamples.samples;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.support.FakeAgentApi;

class UsageUploaderTests {

    private static final String USAGE = "/api/agent/v1/usage";

    @TempDir
    Path dir;

    @Test
    void aBatchCutBeforeARestartIsResentWithTheSameIdAndSamples() throws Exception {
        UsageSpool.Limits limits = new UsageSpool.Limits(4096, 1 << 20, 3);
        try (FakeAgentApi api = new FakeAgentApi()) {
            ServerClient server = new ServerClient(api.url(), FakeAgentApi.TOKEN);
            try (UsageSpool spool = UsageSpool.open(dir, limits)) {
                spool.append(samples(1, 5));
                api.failUsageUploads(1);
                assertThat(new UsageUploader(spool, server, Duration.ofSeconds(1)).uploadPending()).isFalse();
            }
            try (UsageSpool spool = UsageSpool.open(dir, limits)) {
                assertThat(new UsageUploader(spool, server, Duration.ofSeconds(1)).uploadPending()).isTrue();
                assertThat(spool.pendingSamples()).isZero();
            }
            List<FakeAgentApi.Received> uploads = api.received("POST", USAGE);
            assertThat(uploads).hasSize(3);
            assertThat(uploads.get(1).body()).isEqualTo(uploads.get(0).body());
            assertThat(uploads.get(0).body().get("samples")).hasSize(3);
            assertThat(uploads.get(2).body().get("batchId").asString()).isNotEqualTo(uploads.get(0).body().get("batchId").asString());
            assertThat(samplesOf(uploads.subList(1, 3))).isEqualTo(numbers(1, 5));
        }
    }

    @Test
    void theLastSuccessfulUploadIsTheLastBatchTheServerAccepted() throws Exception {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        try (FakeAgentApi api = new FakeAgentApi(); UsageSpool spool = UsageSpool.open(dir)) {
            UsageUploader uploader = new UsageUploader(spool, new ServerClient(api.url(), FakeAgentApi.TOKEN), Duration.ofSeconds(1),
                    Clock.fixed(now, ZoneOffset.UTC));
            spool.append(samples(1, 2));
            api.failUsageUploads(1);
            assertThat(uploader.uploadPending()).isFalse();
            assertThat(uploader.lastSuccessfulUpload()).isEmpty();
            // a batch the server refuses (422) is skipped, not uploaded
            api.refuseUsageUploads(1);
            assertThat(uploader.uploadPending()).isTrue();
            assertThat(uploader.lastSuccessfulUpload()).isEmpty();

            spool.append(samples(3, 4));
            assertThat(uploader.uploadPending()).isTrue();
            assertThat(uploader.lastSuccessfulUpload()).contains(now);
        }
    }

    @Test
    void afterTheServerWasDownEverySampleArrivesOnceAndInOrder() throws Exception {
        UsageSpool.Limits limits = new UsageSpool.Limits(1024, 1 << 20, 4);
        try (FakeAgentApi api = new FakeAgentApi()) {
            ServerClient server = new ServerClient(api.url(), FakeAgentApi.TOKEN);
            api.failUsageUploads(Integer.MAX_VALUE);
            int n = 0;
            for (int restart = 0; restart < 3; restart++) {
                try (UsageSpool spool = UsageSpool.open(dir, limits)) {
                    UsageUploader uploader = new UsageUploader(spool, server, Duration.ofSeconds(1));
                    for (int tick = 0; tick < 10; tick++) {
                        spool.append(List.of(sample(++n), sample(++n)));
                        assertThat(uploader.uploadPending()).isFalse();
                    }
                }
            }
            int failed = api.received("POST", USAGE).size();
            assertThat(failed).isEqualTo(30);
            assertThat(api.received("POST", USAGE)).extracting(r -> r.body().get("batchId").asString()).containsOnly(
                    api.received("POST", USAGE).get(0).body().get("batchId").asString());

            api.failUsageUploads(0);
            try (UsageSpool spool = UsageSpool.open(dir, limits)) {
                UsageUploader uploader = new UsageUploader(spool, server, Duration.ofSeconds(1));
                spool.append(List.of(sample(++n)));
                assertThat(uploader.uploadPending()).isTrue();
                assertThat(spool.pendingSamples()).isZero();
                assertThat(spool.diskBytes()).isLessThanOrEqualTo(limits.segmentBytes());
            }
            List<FakeAgentApi.Received> accepted = api.received("POST", USAGE).subList(failed, api.received("POST", USAGE).size());
            assertThat(accepted.get(0).body()).isEqualTo(api.received("POST", USAGE).get(0).body());
            Set<String> batchIds = new HashSet<>();
            for (FakeAgentApi.Received upload : accepted) {
                assertThat(batchIds.add(upload.body().get("batchId").asString())).isTrue();
                assertThat(upload.body().get("samples").size()).isBetween(1, 4);
            }
            assertThat(samplesOf(accepted)).isEqualTo(numbers(1, n));
            assertThat(n).isEqualTo(61);
        }
    }

    @Test
    void theLoopUploadsNewSamplesAndStops() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi(); UsageSpool spool = UsageSpool.open(dir)) {
            UsageUploader uploader = new UsageUploader(spool, new ServerClient(api.url(), FakeAgentApi.TOKEN), Duration.ofSeconds(10));
            Thread loop = new Thread(uploader, "uploader-under-test");
            loop.start();
            spool.append(samples(1, 2));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (api.received("POST", USAGE).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            uploader.stop();
            loop.interrupt();
            loop.join(5_000);
            assertThat(loop.isAlive()).isFalse();
            assertThat(samplesOf(api.received("POST", USAGE))).isEqualTo(numbers(1, 2));
        }
    }

    @Test
    void aRejectedTokenIsRetriedNotDropped() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi(); UsageSpool spool = UsageSpool.open(dir)) {
            spool.append(samples(1, 2));
            assertThat(new UsageUploader(spool, new ServerClient(api.url(), "revoked-token"), Duration.ofSeconds(1)).uploadPending())
                    .isFalse();
            assertThat(spool.pendingSamples()).isEqualTo(2);
            assertThat(new UsageUploader(spool, new ServerClient(api.url(), FakeAgentApi.TOKEN), Duration.ofSeconds(1)).uploadPending())
                    .isTrue();
            List<FakeAgentApi.Received> uploads = api.received("POST", USAGE);
            assertThat(uploads).hasSize(2);
            assertThat(uploads.get(1).body()).isEqualTo(uploads.get(0).body());
        }
    }

    @Test
    void aBatchTheServerRefusesIsSkippedSoTheSamplesBehindItStillArrive() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi(); UsageSpool spool = UsageSpool.open(dir)) {
            UsageUploader uploader = new UsageUploader(spool, new ServerClient(api.url(), FakeAgentApi.TOKEN), Duration.ofSeconds(1));
            spool.append(samples(1, 2));
            api.refuseUsageUploads(1);

            assertThat(uploader.uploadPending()).isTrue();
            assertThat(spool.pendingSamples()).isZero();

            spool.append(samples(3, 4));
            assertThat(uploader.uploadPending()).isTrue();
            List<FakeAgentApi.Received> uploads = api.received("POST", USAGE);
            assertThat(uploads).hasSize(2);
            assertThat(uploads.get(1).body().get("batchId")).isNotEqualTo(uploads.get(0).body().get("batchId"));
            assertThat(spool.pendingSamples()).isZero();
        }
    }

    @Test
    void backoffDoublesUpToAMinute() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 100)).extracting(UsageUploader::backoff).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32),
                Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    /** The sample numbers (memoryUsedMib) of the uploads, in order. */
    private static List<Long> samplesOf(List<FakeAgentApi.Received> uploads) {
        List<Long> numbers = new ArrayList<>();
        for (FakeAgentApi.Received upload : uploads) {
            for (JsonNode sample : upload.body().get("samples")) {
                assertThat(sample.get("sliceId").asString()).isEqualTo(SpoolSamples.SLICE);
                numbers.add(sample.get("memoryUsedMib").asLong());
            }
        }
        return numbers;
    }

    private static List<Long> numbers(long from, long to) {
        List<Long> numbers = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            numbers.add(n);
        }
        return numbers;
    }
}
