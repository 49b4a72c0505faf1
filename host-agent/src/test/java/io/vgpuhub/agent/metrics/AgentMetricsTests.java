package io.vgpuhub.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vgpuhub.agent.support.MutableClock;
import io.vgpuhub.agent.support.Scrapes;

/** When the agent is DOWN, to the second, and what the endpoint answers besides the happy path. */
class AgentMetricsTests {

    private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final AgentMetrics metrics = new AgentMetrics(Map::of, () -> 0, Optional::empty, Duration.ofSeconds(60), clock);

    @Test
    void downAfterIsThreePollWaitsAndNeverLessThanFiveSeconds() {
        assertThat(AgentMetrics.downAfter(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(60));
        assertThat(AgentMetrics.downAfter(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(5));
        assertThat(AgentMetrics.downAfter(Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void upUntilTheWindowPassesWithoutASuccessfulPassCountedFromTheStartThenFromTheLastSuccess() {
        clock.set(START.plusSeconds(60));
        assertThat(metrics.health().up()).isTrue();
        clock.set(START.plusSeconds(61));
        AgentMetrics.Health neverPassed = metrics.health();
        assertThat(neverPassed.up()).isFalse();
        assertThat(neverPassed.reason()).isEqualTo("no reconcile pass has succeeded since the agent started at " + START
                + " (DOWN after 60 s)");

        metrics.reconcile(() -> { });
        assertThat(metrics.health().up()).isTrue();
        assertThat(metrics.health().lastSuccessfulPassAt()).isEqualTo(START.plusSeconds(61));

        clock.set(START.plusSeconds(100));
        assertThatThrownBy(() -> metrics.reconcile(() -> {
            throw new IllegalStateException("sysfs write refused");
        })).hasMessage("sysfs write refused");
        assertThat(metrics.health().up()).as("one failed pass within the window").isTrue();
        assertThat(metrics.health().lastPass()).isEqualTo(new AgentMetrics.Pass(START.plusSeconds(100), AgentMetrics.Outcome.FAILED,
                "sysfs write refused"));

        clock.set(START.plusSeconds(122));
        AgentMetrics.Health failing = metrics.health();
        assertThat(failing.up()).isFalse();
        assertThat(failing.reason()).isEqualTo("no reconcile pass has succeeded since " + START.plusSeconds(61)
                + " (DOWN after 60 s); the last pass failed: sysfs write refused");
    }

    @Test
    void aDownAgentWhoseLastPassWasFineBlamesTheServer() {
        metrics.reconcile(() -> { });
        metrics.serverUnreachable("GET /api/agent/v1/desired-state answered 503: restarting");
        clock.set(START.plusSeconds(61));
        assertThat(metrics.health().reason()).endsWith("; the server is unreachable: GET /api/agent/v1/desired-state answered 503: restarting");
        assertThat(metrics.health().server().reachable()).isFalse();
        metrics.serverAnswered();
        assertThat(metrics.health().server().reachable()).isTrue();
    }

    @Test
    void theEndpointAnswersHeadAndRefusesOtherMethodsAndPaths() throws Exception {
        int port = Scrapes.freePort();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", port, metrics)) {
            assertThat(endpoint.address()).isEqualTo("127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(health).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(health).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
            assertThat(Scrapes.get(port, "/").statusCode()).isEqualTo(404);
            assertThat(Scrapes.get(port, "/healthz").statusCode()).isEqualTo(404);
        }
    }
}
