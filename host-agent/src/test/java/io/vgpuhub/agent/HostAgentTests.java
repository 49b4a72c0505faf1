package io.vgpuhub.agent;

import static io.vgpuhub.agent.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import io.vgpuhub.agent.support.FakeAgentApi;
import io.vgpuhub.agent.support.SimulatedHosts;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.Sysfs;

/** The whole agent, started the way the server's end-to-end test starts it, against a real HTTP server. */
class HostAgentTests {

    @TempDir
    Path dir;

    @Test
    void uploadsInventoryProvisionsDesiredSlicesMetersThemAndReleasesThem() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi();
                HostAgent agent = HostAgent.start(api.simulatedAgent(dir, SimulatedHosts.TWO_A40S)
                        .withSampleInterval(Duration.ofMillis(200)).withPollWait(Duration.ofSeconds(1)))) {

            await(() -> !api.received("PUT", "/api/agent/v1/inventory").isEmpty());
            JsonNode inventory = api.received("PUT", "/api/agent/v1/inventory").get(0).body();
            assertThat(inventory.get("agentVersion").asString()).isEqualTo("0.1.0");
            JsonNode gpu = inventory.get("gpus").get(0);
            assertThat(gpu.get("pciAddress").asString()).isEqualTo("0000:41:00.0");
            assertThat(gpu.get("uuid").asString()).isEqualTo(SimulatedHosts.A40_UUID);
            assertThat(gpu.get("name").asString()).isEqualTo("NVIDIA A40");
            assertThat(gpu.get("memoryMib").asLong()).isEqualTo(46068);
            assertThat(gpu.get("mode").asString()).isEqualTo("VGPU");
            assertThat(gpu.get("virtualFunctions")).hasSize(16);
            assertThat(gpu.get("virtualFunctions").get(0).asString()).isEqualTo("0000:41:00.4");

            String slice = UUID.randomUUID().toString();
            api.desire(List.of(FakeAgentApi.vgpuSlice(slice, "0000:41:00.0", "0000:41:00.4", "A40-8Q")));
            await(() -> api.observations().contains(slice + " READY"));
            assertThat(dir.resolve("state/sim/sys/bus/mdev/devices/" + slice)).exists();
            assertThat(dir.resolve("state/slices/" + slice + ".json")).exists();

            await(() -> !api.received("POST", "/api/agent/v1/usage").isEmpty());
            JsonNode sample = api.received("POST", "/api/agent/v1/usage").get(0).body().get("samples").get(0);
            assertThat(sample.get("sliceId").asString()).isEqualTo(slice);
            assertThat(sample.get("gpuUtilizationPercent").asInt()).isBetween(0, 100);
            // the vGPU's framebuffer in use (nvmlVgpuInstanceGetFbUsage), at most its type's 8192 MiB
            assertThat(sample.get("memoryUsedMib").asLong()).isBetween(1L, 8192L);
            assertThat(sample.get("sampledAt").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z");

            api.desire(List.of());
            await(() -> api.observations().contains(slice + " ABSENT"));
            assertThat(dir.resolve("state/sim/sys/bus/mdev/devices/" + slice)).doesNotExist();
            // The generation is recorded once the whole reconcile is done, a moment after its ABSENT report.
            await(() -> agent.generation() == 2);
        }
    }

    @Test
    void reportsAnMdevItDidNotCreateInItsInventoryAndLeavesItAlone() throws Exception {
        try (FakeAgentApi api = new FakeAgentApi();
                HostAgent agent = HostAgent.start(api.simulatedAgent(dir, SimulatedHosts.TWO_A40S)
                        .withPollWait(Duration.ofSeconds(1)))) {
            await(() -> !api.received("PUT", "/api/agent/v1/inventory").isEmpty());
            assertThat(api.received("PUT", "/api/agent/v1/inventory").get(0).body().get("foreignDevices")).isEmpty();

            UUID foreign = UUID.randomUUID();
            Sysfs sysfs = new Sysfs(agent.settings().sysfsRoot(), KernelFiles.load("vgpusim"));
            sysfs.createMdev("0000:41:00.5", "nvidia-557", foreign);

            await(() -> api.received("PUT", "/api/agent/v1/inventory").stream()
                    .anyMatch(put -> put.body().get("foreignDevices").toString().contains(foreign.toString())));
            assertThat(sysfs.mdevs()).extracting(Mdev::uuid).contains(foreign);
        }
    }

    @Test
    void keepsRunningWhileTheServerIsUnreachable() throws Exception {
        Path hostFile = SimulatedHosts.hostFile(dir, SimulatedHosts.TWO_A40S);
        URI nothingListening = URI.create("http://127.0.0.1:9");
        try (HostAgent agent = HostAgent.start(AgentSettings.simulated(nothingListening, "t", dir.resolve("state"), hostFile))) {
            Thread.sleep(300);
            assertThat(agent.generation()).isEqualTo(-1);
        }
    }

    @Test
    void settingsAreValidated() {
        Path state = dir.resolve("state");
        assertThatThrownBy(() -> AgentSettings.real(URI.create("ftp://server"), "t", state)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentSettings.real(URI.create("http://server"), " ", state)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentSettings.real(URI.create("http://server"), "t", state).withSampleInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentSettings.real(URI.create("http://server"), "t", state).withHeartbeatInterval(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatInterval");
        assertThat(AgentSettings.real(URI.create("http://server"), "t", state).heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(AgentSettings.real(URI.create("http://server"), "secret", state).toString()).doesNotContain("secret");
        assertThatThrownBy(() -> AgentSettings.simulated(URI.create("http://server"), "t", state, dir.resolve("missing.conf")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
