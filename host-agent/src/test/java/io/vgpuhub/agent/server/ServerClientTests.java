package io.vgpuhub.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vgpuhub.agent.support.FakeAgentApi;

class ServerClientTests {

    @Test
    void longPollsForTheNextGeneration() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi()) {
            api.desire(List.of(FakeAgentApi.vgpuSlice("5b0a4c1e-0000-4000-8000-000000000001", "0000:41:00.0", "0000:41:00.4", "A40-8Q")));
            ServerClient client = new ServerClient(api.url(), FakeAgentApi.TOKEN);

            DesiredState state = client.desiredState(0, Duration.ofSeconds(5));

            assertThat(state.generation()).isEqualTo(1);
            assertThat(state.slices()).containsExactly(new DesiredState.Slice("5b0a4c1e-0000-4000-8000-000000000001", "VGPU",
                    "0000:41:00.0", "0000:41:00.4", "A40-8Q"));
            assertThat(api.received("GET", "/api/agent/v1/desired-state").get(0).path())
                    .isEqualTo("/api/agent/v1/desired-state?after=0&waitSeconds=5");
            assertThat(client.desiredState(1, Duration.ofSeconds(1)).generation()).as("held, then the same generation").isEqualTo(1);
        }
    }

    @Test
    void surfacesTheProblemDetailOfAnError() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi()) {
            ServerClient client = new ServerClient(api.url(), "wrong-token");
            assertThatThrownBy(() -> client.putInventory(new Inventory("h", "0.1.0", List.of(), List.of())))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.retryable()).isFalse();
                    })
                    .hasMessage("PUT /api/agent/v1/inventory answered 401: unknown host token");
        }
    }

    @Test
    void anUnreachableServerIsARetryableFailure() {
        ServerClient client = new ServerClient(URI.create("http://127.0.0.1:9"), "t");
        assertThatThrownBy(() -> client.uploadUsage(new UsageBatch("b", List.of())))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.retryable()).isTrue();
                });
    }
}
