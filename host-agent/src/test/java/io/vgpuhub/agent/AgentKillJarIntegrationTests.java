package io.vgpuhub.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.vgpuhub.agent.support.FakeAgentApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged agent killed with SIGKILL while the server refuses its uploads, then started again on the same state
 * directory: every batch it had cut goes out again under the same batch id with the same samples, and no sample is
 * sent under two batch ids, so the server (which counts a batch id once) loses nothing and counts nothing twice.
 */
class AgentKillJarIntegrationTests {

    @TempDir
    Path stateDir;

    @Test
    void anAgentKilledMidUploadResendsItsBatchesUnchangedAfterRestart() throws Exception {
        try (FakeAgentApi server = new FakeAgentApi()) {
            String slice = UUID.randomUUID().toString();
            server.desire(List.of(FakeAgentApi.vgpuSlice(slice, "0000:41:00.0", "0000:41:00.4", "A40-8Q")));
            server.failUsageUploads(Integer.MAX_VALUE);

            Process first = start(server);
            await(() -> usagePosts(server).size() >= 3, first);
            first.destroyForcibly().waitFor();
            List<JsonNode> refused = usagePosts(server);

            server.failUsageUploads(0);
            Process second = start(server);
            try {
                await(() -> usagePosts(server).size() >= refused.size() + 4, second);
            }
            finally {
                second.destroy();
                second.waitFor();
            }
            List<JsonNode> accepted = usagePosts(server).subList(refused.size(), usagePosts(server).size());

            Map<String, JsonNode> batches = new HashMap<>();
            for (JsonNode post : usagePosts(server)) {
                JsonNode earlier = batches.putIfAbsent(post.get("batchId").asString(), post.get("samples"));
                if (earlier != null) {
                    assertThat(post.get("samples")).as("a batch id is always sent with the same samples").isEqualTo(earlier);
                }
            }
            Set<String> acceptedIds = new HashSet<>();
            accepted.forEach(post -> acceptedIds.add(post.get("batchId").asString()));
            for (JsonNode post : refused) {
                assertThat(acceptedIds).as("a batch refused before the kill is delivered after the restart")
                        .contains(post.get("batchId").asString());
            }
            Set<String> samples = new HashSet<>();
            for (String batchId : acceptedIds) {
                for (JsonNode sample : batches.get(batchId)) {
                    assertThat(samples.add(sample.get("sliceId").asString() + "@" + sample.get("sampledAt").asString()))
                            .as("no sample is sent under two batch ids").isTrue();
                }
            }
        }
    }

    private Process start(FakeAgentApi server) throws Exception {
        File[] jars = new File("target").listFiles((dir, name) -> name.startsWith("vgpuhub-host-agent-") && name.endsWith("-exec.jar"));
        assertThat(jars).as("the -exec jar was packaged before this test").hasSize(1);
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jars[0].getAbsolutePath(), "run", "--server", server.url().toString(), "--token", FakeAgentApi.TOKEN,
                "--state-dir", stateDir.toString(), "--simulate", "--sample-interval", "200ms", "--metrics-port", "0")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("agent.log").toFile()))
                .start();
    }

    private static List<JsonNode> usagePosts(FakeAgentApi server) {
        return server.received("POST", "/api/agent/v1/usage").stream().map(FakeAgentApi.Received::body).toList();
    }

    private void await(BooleanSupplier condition, Process agent) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            assertThat(agent.isAlive()).as("agent still running; log:%n%s", Files.readString(stateDir.resolve("agent.log"))).isTrue();
            assertThat(Instant.now()).as("waited too long; log:%n%s", Files.readString(stateDir.resolve("agent.log"))).isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
