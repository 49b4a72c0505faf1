package io.vgpuhub.agent;

import static io.vgpuhub.agent.support.Await.awaitChecked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.vgpuhub.agent.cli.AgentCli;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.Scrapes;
import io.vgpuhub.agent.support.SimulatedHosts;

/** The agent's own /metrics and /health, scraped over HTTP from a running agent on the simulated host. */
class HostAgentMetricsTests {

    private static final String PASSES = "vgpuhub_agent_reconcile_seconds_count";
    private static final String PASS_SECONDS = "vgpuhub_agent_reconcile_seconds_sum";
    private static final String PASS_ERRORS = "vgpuhub_agent_reconcile_errors_total{cause=\"pass\"}";
    private static final String SLICE_ERRORS = "vgpuhub_agent_reconcile_errors_total{cause=\"slice\"}";
    private static final String SPOOL = "vgpuhub_agent_spool_samples";
    private static final String LAST_UPLOAD = "vgpuhub_agent_last_upload_timestamp_seconds";
    private static final String FIRST_GPU = "vgpuhub_agent_gpu_utilization_ratio{gpu=\"" + SimulatedHosts.A40_PF + "\"}";
    private static final String SECOND_GPU = "vgpuhub_agent_gpu_utilization_ratio{gpu=\"" + SimulatedHosts.SECOND_A40_PF + "\"}";

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void everyMetricIsServedAndMovesWithTheAgentsWork() throws Exception {
        int port = Scrapes.freePort();
        Instant started = Instant.now();
        try (FakeAgentApi api = new FakeAgentApi()) {
            api.failUsageUploads(Integer.MAX_VALUE);
            try (HostAgent agent = HostAgent.start(settings(api.url()).withMetrics("127.0.0.1", port))) {
                assertThat(agent.metricsEndpoint()).contains("127.0.0.1:" + port);

                // Every poll answer is a pass: the count and the time spent grow while nothing changes.
                awaitChecked(() -> metric(port, PASSES) >= 1);
                double passes = metric(port, PASSES);
                awaitChecked(() -> metric(port, PASSES) >= passes + 2);
                Map<String, Double> idle = Scrapes.metrics(port);
                assertThat(idle.get(PASS_SECONDS)).isPositive();
                assertThat(idle.get("vgpuhub_agent_reconcile_seconds_bucket{le=\"+Inf\"}")).isEqualTo(idle.get(PASSES));
                assertThat(idle).containsEntry(PASS_ERRORS, 0.0).containsEntry(SLICE_ERRORS, 0.0).containsEntry(SPOOL, 0.0)
                        .doesNotContainKey(LAST_UPLOAD);
                // one series per GPU NVML lists, a ratio
                assertThat(idle.get(FIRST_GPU)).isBetween(0.0, 1.0);
                assertThat(idle.get(SECOND_GPU)).isBetween(0.0, 1.0);
                assertThat(idle.keySet().stream().filter(k -> k.startsWith("vgpuhub_agent_gpu_utilization_ratio"))).hasSize(2);

                // A slice that cannot be made counts once, however many passes keep it FAILED.
                String good = UUID.randomUUID().toString();
                String bad = UUID.randomUUID().toString();
                api.desire(List.of(FakeAgentApi.vgpuSlice(good, SimulatedHosts.A40_PF, "0000:41:00.4", "A40-8Q"),
                        FakeAgentApi.vgpuSlice(bad, SimulatedHosts.A40_PF, "0000:41:00.5", "A40-99Q")));
                awaitChecked(() -> api.observations().contains(bad + " FAILED") && api.observations().contains(good + " READY"));
                awaitChecked(() -> metric(port, SLICE_ERRORS) == 1.0);
                double afterFailure = metric(port, PASSES);
                awaitChecked(() -> metric(port, PASSES) >= afterFailure + 2);
                assertThat(metric(port, SLICE_ERRORS)).isEqualTo(1.0);
                assertThat(metric(port, PASS_ERRORS)).isZero();

                // The server refuses usage: the spool fills up, and nothing is uploaded.
                awaitChecked(() -> metric(port, SPOOL) >= 5);
                double depth = metric(port, SPOOL);
                awaitChecked(() -> metric(port, SPOOL) > depth);
                JsonNode refusing = health(port, 200);
                assertThat(refusing.get("details").get("spoolSamples").asLong()).isPositive();
                assertThat(refusing.get("details").get("lastSuccessfulUploadAt").isNull()).isTrue();
                assertThat(Scrapes.metrics(port)).doesNotContainKey(LAST_UPLOAD);

                // It accepts again: the spool drains and the upload time is set.
                api.failUsageUploads(0);
                awaitChecked(() -> Scrapes.metrics(port).containsKey(LAST_UPLOAD) && metric(port, SPOOL) < depth);
                double uploaded = metric(port, LAST_UPLOAD);
                assertThat(uploaded).isBetween(started.getEpochSecond() - 1.0, Instant.now().getEpochSecond() + 1.0);
                // each tick spools one sample, which the uploader sends right away
                awaitChecked(() -> metric(port, SPOOL) <= 1);
                JsonNode accepting = health(port, 200);
                assertThat(Instant.parse(accepting.get("details").get("lastSuccessfulUploadAt").asString()).getEpochSecond())
                        .isCloseTo((long) uploaded, within(60L));
            }
        }
    }

    @Test
    void aGpuBoundToVfioPciLosesItsUtilizationSeriesAndGetsItBackWhenReleased() throws Exception {
        int port = Scrapes.freePort();
        try (FakeAgentApi api = new FakeAgentApi();
                HostAgent agent = HostAgent.start(settings(api.url()).withMetrics("127.0.0.1", port))) {
            awaitChecked(() -> Scrapes.metrics(port).containsKey(SECOND_GPU));

            String slice = UUID.randomUUID().toString();
            api.desire(List.of(FakeAgentApi.passthroughSlice(slice, SimulatedHosts.SECOND_A40_PF)));
            awaitChecked(() -> api.observations().contains(slice + " READY"));
            // NVML no longer lists a GPU handed to vfio-pci: no series, rather than its last value
            Map<String, Double> passedThrough = Scrapes.metrics(port);
            assertThat(passedThrough).doesNotContainKey(SECOND_GPU);
            assertThat(passedThrough.get(FIRST_GPU)).isBetween(0.0, 1.0);

            api.desire(List.of());
            awaitChecked(() -> api.observations().contains(slice + " ABSENT"));
            awaitChecked(() -> Scrapes.metrics(port).containsKey(SECOND_GPU));
            assertThat(metric(port, SECOND_GPU)).isBetween(0.0, 1.0);
        }
    }

    @Test
    void healthIsUpWhilePassesSucceedAndDownWith503WhenEveryPassFails() throws Exception {
        int port = Scrapes.freePort();
        try (FakeAgentApi api = new FakeAgentApi();
                HostAgent agent = HostAgent.start(settings(api.url()).withMetrics("127.0.0.1", port))) {
            awaitChecked(() -> metric(port, PASSES) >= 1);
            JsonNode up = health(port, 200);
            assertThat(up.get("status").asString()).isEqualTo("UP");
            assertThat(up.has("reason")).isFalse();
            JsonNode details = up.get("details");
            assertThat(details.get("lastReconcileOutcome").asString()).isEqualTo("OK");
            assertThat(Instant.parse(details.get("lastReconcileAt").asString())).isBeforeOrEqualTo(Instant.now());
            assertThat(details.get("lastSuccessfulReconcileAt").asString()).isNotBlank();
            assertThat(details.get("serverReachable").asBoolean()).isTrue();
            assertThat(details.get("spoolSamples").asLong()).isZero();

            // The server takes the long-poll but refuses every observation: each pass throws and is retried.
            api.failObservations(Integer.MAX_VALUE);
            String slice = UUID.randomUUID().toString();
            api.desire(List.of(FakeAgentApi.vgpuSlice(slice, SimulatedHosts.A40_PF, "0000:41:00.4", "A40-8Q")));
            awaitChecked(() -> metric(port, PASS_ERRORS) >= 2);
            awaitChecked(Duration.ofSeconds(20), () -> Scrapes.get(port, "/health").statusCode() == 503);
            JsonNode down = health(port, 503);
            assertThat(down.get("status").asString()).isEqualTo("DOWN");
            assertThat(down.get("reason").asString()).contains("no reconcile pass has succeeded since", "the last pass failed",
                    "/observed answered 503");
            assertThat(down.get("details").get("lastReconcileOutcome").asString()).isEqualTo("FAILED");
            assertThat(down.get("details").get("lastReconcileError").asString()).contains("503");

            // The server accepts again: the next pass succeeds, and the agent is UP.
            api.failObservations(0);
            awaitChecked(Duration.ofSeconds(40), () -> Scrapes.get(port, "/health").statusCode() == 200);
            assertThat(health(port, 200).get("details").get("lastReconcileOutcome").asString()).isEqualTo("OK");
            assertThat(api.observations()).contains(slice + " READY");
            assertThat(metric(port, SLICE_ERRORS)).isZero();
        }
    }

    @Test
    void healthIsDownWhenTheServerCannotBeReachedSinceTheStart() throws Exception {
        int port = Scrapes.freePort();
        URI nothingListening = URI.create("http://127.0.0.1:" + Scrapes.freePort());
        try (HostAgent agent = HostAgent.start(settings(nothingListening).withMetrics("127.0.0.1", port))) {
            awaitChecked(Duration.ofSeconds(20), () -> Scrapes.get(port, "/health").statusCode() == 503);
            JsonNode down = health(port, 503);
            assertThat(down.get("reason").asString()).contains("since the agent started", "the server is unreachable");
            assertThat(down.get("details").get("serverReachable").asBoolean()).isFalse();
            assertThat(down.get("details").get("lastReconcileAt").isNull()).isTrue();
            assertThat(Scrapes.metrics(port)).containsEntry(PASSES, 0.0);
            assertThat(Scrapes.get(port, "/nothing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void portZeroServesNothingAndClosingReleasesThePort() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi()) {
            try (HostAgent agent = HostAgent.start(settings(api.url()).withMetrics("127.0.0.1", 0))) {
                assertThat(agent.metricsEndpoint()).isEmpty();
            }
            int port = Scrapes.freePort();
            try (HostAgent agent = HostAgent.start(settings(api.url()).withMetrics("127.0.0.1", port))) {
                assertThat(Scrapes.get(port, "/metrics").statusCode()).isEqualTo(200);
            }
            try (ServerSocket again = new ServerSocket(port, 0, InetAddress.getByName("127.0.0.1"))) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aBusyPortStopsTheStartWithAnErrorNamingIt() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi();
                ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> HostAgent.start(settings(api.url()).withMetrics("127.0.0.1", port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("--metrics-port");

            StringWriter err = new StringWriter();
            int exit = AgentCli.execute(new String[] { "run", "--server", api.url().toString(), "--token", FakeAgentApi.TOKEN,
                    "--state-dir", dir.resolve("cli").toString(), "--simulate", "--metrics-port", String.valueOf(port) },
                    new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).startsWith("vgpuhub-agent: cannot serve metrics on 127.0.0.1:" + port);
            // nothing was left running: the server saw no inventory from either start
            assertThat(api.received("PUT", "/api/agent/v1/inventory")).isEmpty();
        }
    }

    private AgentSettings settings(URI server) throws Exception {
        return AgentSettings.simulated(server, FakeAgentApi.TOKEN, dir.resolve("state"),
                SimulatedHosts.hostFile(dir, SimulatedHosts.TWO_A40S))
                .withSampleInterval(Duration.ofMillis(100)).withPollWait(Duration.ofSeconds(1));
    }

    private JsonNode health(int port, int status) throws Exception {
        HttpResponse<String> response = Scrapes.get(port, "/health");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return json.readTree(response.body());
    }

    private static double metric(int port, String series) throws Exception {
        Double value = Scrapes.metrics(port).get(series);
        return value == null ? Double.NaN : value;
    }
}
