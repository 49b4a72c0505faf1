package io.vgpuhub.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import io.vgpuhub.agent.support.Await;
import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;

/**
 * The running agent against a real HTTP server speaking the agent API, on a simulated host with one board of each kind:
 * the exact inventory it sends, heartbeats, a MIG slice READY with its MIG device UUID, a passthrough slice and the
 * inventory after it, and the operator's GPU mode.
 */
class HostAgentContractTests {

    static final String A40 = SimulatedHosts.A40_PF;
    static final String A100 = SimulatedHosts.A100_80GB_PF;
    static final String H100 = SimulatedHosts.H100_PF;

    @TempDir
    Path dir;

    @Test
    void theInventoryCarriesModesVfsVgpuTypesMigProfilesAndInstances() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi(); HostAgent agent = start(api)) {
            await(() -> !api.received("PUT", "/api/agent/v1/inventory").isEmpty());
            JsonNode inventory = api.received("PUT", "/api/agent/v1/inventory").get(0).body();

            assertThat(inventory.propertyNames()).containsExactly("hostname", "agentVersion", "gpus", "foreignDevices", "readiness");
            assertThat(inventory.get("gpus").valueStream().map(g -> g.get("pciAddress").asString())).containsExactly(A40, A100, H100);

            JsonNode a40 = gpu(inventory, A40);
            assertThat(a40.propertyNames()).containsExactly("pciAddress", "uuid", "name", "memoryMib", "mode", "virtualFunctions",
                    "sriov", "migCapable", "vgpuTypes", "passthroughBound");
            assertThat(a40.get("mode").asString()).isEqualTo("VGPU");
            assertThat(a40.get("sriov").asBoolean()).isTrue();
            assertThat(a40.get("migCapable").asBoolean()).isFalse();
            assertThat(a40.get("passthroughBound").asBoolean()).isFalse();
            assertThat(a40.get("virtualFunctions")).hasSize(4);
            assertThat(a40.get("vgpuTypes")).hasSize(19);
            assertThat(a40.get("vgpuTypes").valueStream().filter(t -> t.get("name").asString().equals("A40-8Q")).findFirst().orElseThrow()
                    .toString()).isEqualTo("{\"name\":\"A40-8Q\",\"framebufferMib\":8192,\"maxInstances\":6}");

            JsonNode a100 = gpu(inventory, A100);
            assertThat(a100.propertyNames()).containsExactly("pciAddress", "uuid", "name", "memoryMib", "mode", "virtualFunctions",
                    "sriov", "migCapable", "vgpuTypes", "migProfiles", "migInstances", "passthroughBound");
            assertThat(a100.get("mode").asString()).isEqualTo("MIG");
            assertThat(a100.get("migCapable").asBoolean()).isTrue();
            assertThat(a100.get("sriov").asBoolean()).isFalse();
            assertThat(a100.get("vgpuTypes")).isEmpty();
            assertThat(a100.get("migInstances")).isEmpty();
            assertThat(a100.get("migProfiles").valueStream().map(p -> p.get("name").asString()))
                    .containsExactly("1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb", "1g.10gb+me", "1g.20gb");
            JsonNode threeG = a100.get("migProfiles").valueStream().filter(p -> p.get("name").asString().equals("3g.40gb"))
                    .findFirst().orElseThrow();
            assertThat(threeG.toString()).isEqualTo("{\"name\":\"3g.40gb\",\"profileId\":9,\"memorySlices\":4,\"startSlots\":[0,4],"
                    + "\"maxInstances\":2,\"memoryMib\":40192}");

            JsonNode h100 = gpu(inventory, H100);
            assertThat(h100.get("mode").asString()).isEqualTo("PASSTHROUGH");
            assertThat(h100.get("migCapable").asBoolean()).isTrue();
            assertThat(h100.has("migProfiles")).as("NVML lists profiles only while MIG is on: unknown, so left out").isFalse();
            assertThat(h100.get("migInstances")).isEmpty();
            assertThat(inventory.get("foreignDevices")).isEmpty();
        }
    }

    @Test
    void heartbeatsGoOutOnTheirOwnIntervalWhileTheLongPollWaits() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi(); HostAgent agent = start(api)) {
            await(() -> api.received("POST", "/api/agent/v1/heartbeat").size() >= 3);

            assertThat(api.received("POST", "/api/agent/v1/heartbeat").get(0).body().toString()).isEqualTo("{\"agentVersion\":\"0.1.0\"}");
            assertThat(api.received("POST", "/api/agent/v1/heartbeat"))
                    .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + FakeAgentApi.TOKEN));
            assertThat(api.received("GET", "/api/agent/v1/desired-state")).as("one long-poll outlived three heartbeats").hasSizeLessThan(3);
        }
    }

    @Test
    void aMigSliceIsReadyWithTheMigDeviceUuidTheInventoryShows() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi(); HostAgent agent = start(api)) {
            String slice = UUID.randomUUID().toString();
            api.desire(List.of(FakeAgentApi.migSlice(slice, A100, "3g.40gb", 4, 4)), List.of(FakeAgentApi.gpuMode(A100, "MIG")));

            await(() -> api.observations().contains(slice + " READY"));
            JsonNode ready = api.received("POST", "/api/agent/v1/slices/" + slice).get(0).body();
            String migDevice = ready.get("migDeviceUuid").asString();
            assertThat(migDevice).startsWith("MIG-");
            assertThat(ready.has("mdevUuid")).isFalse();

            await(() -> gpu(lastInventory(api), A100).get("migInstances").size() == 1);
            assertThat(gpu(lastInventory(api), A100).get("migInstances").get(0).toString())
                    .isEqualTo("{\"profile\":\"3g.40gb\",\"startSlot\":4,\"size\":4,\"deviceUuid\":\"" + migDevice + "\"}");
        }
    }

    @Test
    void aPassthroughSliceBindsTheGpuAndTheInventoryStillShowsItAsPassthroughBound() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi(); HostAgent agent = start(api)) {
            await(() -> !api.received("PUT", "/api/agent/v1/inventory").isEmpty());
            String slice = UUID.randomUUID().toString();
            api.desire(List.of(FakeAgentApi.passthroughSlice(slice, H100)), List.of(FakeAgentApi.gpuMode(H100, "PASSTHROUGH")));

            await(() -> api.observations().contains(slice + " READY"));
            await(() -> gpu(lastInventory(api), H100).get("passthroughBound").asBoolean());
            JsonNode h100 = gpu(lastInventory(api), H100);
            assertThat(h100.get("uuid").asString()).as("NVML no longer sees it; the identity is the one seen before")
                    .isEqualTo(SimulatedHosts.H100_UUID);
            assertThat(h100.get("mode").asString()).isEqualTo("PASSTHROUGH");
            assertThat(h100.has("vgpuTypes")).isFalse();

            api.desire(List.of(), List.of(FakeAgentApi.gpuMode(H100, "MIG")));
            await(() -> api.observations().contains(slice + " ABSENT"));
            await(() -> gpu(lastInventory(api), H100).get("mode").asString().equals("MIG"));
            assertThat(gpu(lastInventory(api), H100).get("passthroughBound").asBoolean()).isFalse();
            assertThat(gpu(lastInventory(api), H100).get("migProfiles")).isNotEmpty();
        }
    }

    private HostAgent start(FakeAgentApi api) {
        return HostAgent.start(api.simulatedAgent(dir, SimulatedHosts.ALL_KINDS)
                .withPollWait(Duration.ofSeconds(1)).withHeartbeatInterval(Duration.ofMillis(200)));
    }

    private static JsonNode lastInventory(FakeAgentApi api) {
        List<FakeAgentApi.Received> puts = api.received("PUT", "/api/agent/v1/inventory");
        return puts.get(puts.size() - 1).body();
    }

    private static JsonNode gpu(JsonNode inventory, String pci) {
        return inventory.get("gpus").valueStream().filter(g -> g.get("pciAddress").asString().equals(pci)).findFirst().orElseThrow();
    }

    /** {@link Await#await(Duration, BooleanSupplier)} with the 15 s these tests allow. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        Await.await(Duration.ofSeconds(15), condition);
    }
}
