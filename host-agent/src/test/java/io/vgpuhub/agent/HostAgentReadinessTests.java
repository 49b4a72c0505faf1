package io.vgpuhub.agent;

import static io.vgpuhub.agent.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.vgpuhub.agent.server.Inventory;

import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;

/** The readiness checks travel in the agent's inventory report, and a change in them is reported. */
class HostAgentReadinessTests {

    @TempDir
    Path dir;

    @Test
    void theInventoryCarriesTheReadinessAndIsSentAgainWhenItChanges() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi();
                HostAgent agent = HostAgent.start(api.simulatedAgent(dir, SimulatedHosts.TWO_A40S)
                        .withPollWait(Duration.ofMillis(300)).withReadinessInterval(Duration.ofMillis(500)))) {
            await(() -> !inventories(api).isEmpty());
            JsonNode readiness = inventories(api).get(0).get("readiness");
            assertThat(readiness.propertyNames()).containsExactly("checkedAt", "checks");
            assertThat(readiness.get("checkedAt").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
            assertThat(readiness.get("checks")).hasSize(5 + 2 * 6);
            assertThat(readiness.get("checks").valueStream().map(c -> c.get("status").asString())).containsOnly("OK");
            JsonNode first = readiness.get("checks").get(0);
            assertThat(first.toString()).isEqualTo("{\"scope\":\"host\",\"check\":\"iommu-cmdline\",\"status\":\"OK\","
                    + "\"summary\":\"IOMMU is on in the kernel command line (intel_iommu=on)\"}");

            // several control rounds with nothing changed: a new checkedAt alone sends nothing
            Thread.sleep(1500);
            assertThat(inventories(api)).hasSize(1);

            SimulatedHosts.stopVgpuManager(dir.resolve("state/sim"));
            await(() -> inventories(api).size() == 2);
            JsonNode manager = inventories(api).get(1).get("readiness").get("checks").get(4);
            assertThat(manager.get("check").asString()).isEqualTo("vgpu-manager");
            assertThat(manager.get("status").asString()).isEqualTo("FAIL");
            assertThat(manager.get("fix").asString()).contains("systemctl enable --now nvidia-vgpu-mgr");
        }
    }

    @Test
    void anInventoryWithoutReadinessLeavesTheFieldOut() {
        String json = JsonMapper.builder().build().writeValueAsString(new Inventory("h", "0.1.0", List.of(), List.of()));

        assertThat(json).isEqualTo("{\"hostname\":\"h\",\"agentVersion\":\"0.1.0\",\"gpus\":[],\"foreignDevices\":[]}");
    }

    private static List<JsonNode> inventories(FakeAgentApi api) {
        return api.received("PUT", "/api/agent/v1/inventory").stream().map(FakeAgentApi.Received::body).toList();
    }
}
