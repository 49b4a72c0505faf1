package io.vgpuhub.agent;

import static io.vgpuhub.agent.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;

/** The agent's usage spool end to end: samples taken while the server refuses them are uploaded by the next agent. */
class HostAgentSpoolTests {

    private static final String USAGE = "/api/agent/v1/usage";

    @TempDir
    Path dir;

    @Test
    void usageSpooledWhileUploadsFailIsSentAfterARestartWithTheSameBatch() throws Exception {
        Path state = dir.resolve("state");
        String slice = UUID.randomUUID().toString();
        JsonNode refused;
        try (FakeAgentApi api = new FakeAgentApi()) {
            api.failUsageUploads(Integer.MAX_VALUE);
            try (HostAgent agent = HostAgent.start(api.simulatedAgent(dir, SimulatedHosts.TWO_A40S)
                    .withSampleInterval(Duration.ofMillis(100)).withPollWait(Duration.ofSeconds(1)))) {
                api.desire(List.of(FakeAgentApi.vgpuSlice(slice, "0000:41:00.0", "0000:41:00.4", "A40-8Q")));
                await(() -> !api.received("POST", USAGE).isEmpty());
            }
            refused = api.received("POST", USAGE).get(0).body();
            assertThat(refused.get("samples").get(0).get("sliceId").asString()).isEqualTo(slice);
        }
        assertThat(state.resolve("spool/state.json")).exists();

        try (FakeAgentApi api = new FakeAgentApi();
                HostAgent agent = HostAgent.start(api.simulatedAgent(dir, SimulatedHosts.TWO_A40S)
                        .withSampleInterval(Duration.ofMillis(100)).withPollWait(Duration.ofSeconds(1)))) {
            await(() -> !api.received("POST", USAGE).isEmpty());
            assertThat(api.received("POST", USAGE).get(0).body()).isEqualTo(refused);
        }
    }
}
