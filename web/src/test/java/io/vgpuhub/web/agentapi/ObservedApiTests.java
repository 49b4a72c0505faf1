package io.vgpuhub.web.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.UUID;

import io.vgpuhub.web.agentapi.AgentApiFixtures.Host;
import io.vgpuhub.web.slice.Requester;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** POST /api/agent/v1/slices/{id}/observed: what the agent saw moves its own host's slices on, and nothing else. */
@AgentApiTest
class ObservedApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures fixtures;

    @Test
    void readyOfAMigSliceStoresItsMigDeviceUuidAndANewOneAfterTheHostRecreatedIt() throws Exception {
        Host host = fixtures.host();
        long gpu = fixtures.gpu(host, "0000:81:00.0", "A100-40GB", "MIG", 0);
        UUID slice = fixtures.migSlice(fixtures.tenant(), gpu, "A100-40GB 3g.20gb", 0, 4, "PROVISIONING");
        String device = AgentApiFixtures.migUuid();

        mvc.perform(host.post("/slices/" + slice + "/observed", """
                {"state": "READY", "mdevUuid": "%s", "migDeviceUuid": "%s", "reason": null}
                """.formatted(slice, device))).andExpect(status().isNoContent());
        assertThat(jdbc.sql("select state, device_uuid, ready_at is not null as ready from slice where uuid = ?")
                .param(slice).query().singleRow())
                .containsEntry("state", "READY").containsEntry("device_uuid", device).containsEntry("ready", true);

        String recreated = AgentApiFixtures.migUuid();
        mvc.perform(host.post("/slices/" + slice + "/observed", """
                {"state": "READY", "migDeviceUuid": "%s"}
                """.formatted(recreated))).andExpect(status().isNoContent());
        assertThat(jdbc.sql("select device_uuid from slice where uuid = ?").param(slice).query(String.class).single())
                .isEqualTo(recreated);
        assertThat(events(slice)).as("a second READY is no transition").endsWith("PROVISIONING", "READY");
    }

    @Test
    void aMigDeviceUuidThatIsNotOneIsRefusedAndChangesNothing() throws Exception {
        Host host = fixtures.host();
        long gpu = fixtures.gpu(host, "0000:81:00.0", "A100-40GB", "MIG", 0);
        UUID slice = fixtures.migSlice(fixtures.tenant(), gpu, "A100-40GB 3g.20gb", 4, 4, "PROVISIONING");

        mvc.perform(host.post("/slices/" + slice + "/observed", """
                {"state": "READY", "migDeviceUuid": "GPU-00000000-0000-0000-0000-000000000000"}
                """)).andExpect(status().isBadRequest());
        mvc.perform(host.post("/slices/" + slice + "/observed", "{\"state\": \"HAPPY\"}")).andExpect(status().isBadRequest());
        assertThat(fixtures.state(slice)).isEqualTo("PROVISIONING");
    }

    @Test
    void readyOfAVgpuSliceStoresNoDeviceUuid() throws Exception {
        Host host = fixtures.host();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 1);
        UUID slice = fixtures.vgpuSlice(fixtures.tenant(), gpu, "A40-8Q", "PROVISIONING");

        mvc.perform(host.post("/slices/" + slice + "/observed", """
                {"state": "READY", "mdevUuid": "%s", "migDeviceUuid": "%s"}
                """.formatted(slice, AgentApiFixtures.migUuid()))).andExpect(status().isNoContent());
        assertThat(jdbc.sql("select state, device_uuid from slice where uuid = ?").param(slice).query().singleRow())
                .containsEntry("state", "READY").containsEntry("device_uuid", null);
    }

    @Test
    void failedKeepsTheAgentsReasonAndTellsTheAgentToDropTheSlice() throws Exception {
        Host host = fixtures.host();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 1);
        UUID slice = fixtures.vgpuSlice(fixtures.tenant(), gpu, "A40-8Q", "PROVISIONING");
        long generation = fixtures.generation(host);
        String kernel = "write to /sys/bus/pci/devices/0000:41:00.1/mdev_supported_types/nvidia-557/create failed: EDQUOT";

        mvc.perform(host.post("/slices/" + slice + "/observed", """
                {"state": "FAILED", "reason": "%s"}
                """.formatted(kernel))).andExpect(status().isNoContent());

        assertThat(jdbc.sql("select state, failure_reason from slice where uuid = ?").param(slice).query().singleRow())
                .containsEntry("state", "FAILED").containsEntry("failure_reason", kernel);
        assertThat(jdbc.sql("""
                select e.actor || ': ' || e.reason from slice_event e join slice s on s.id = e.slice_id
                where s.uuid = ? and e.to_state = 'FAILED'
                """).param(slice).query(String.class).single()).isEqualTo("agent:" + host.name() + ": " + kernel);
        assertThat(fixtures.generation(host)).isGreaterThan(generation);
    }

    @Test
    void anotherHostsTokenGetsNotFoundForASliceThatExistsAndChangesNothing() throws Exception {
        Host a = fixtures.host();
        Host b = fixtures.host();
        long gpu = fixtures.gpu(a, "0000:41:00.0", "A40", "VGPU", 1);
        UUID slice = fixtures.vgpuSlice(fixtures.tenant(), gpu, "A40-8Q", "PROVISIONING");

        String unknownSlice = mvc.perform(b.post("/slices/" + UUID.randomUUID() + "/observed", "{\"state\": \"READY\"}"))
                .andExpect(status().isNotFound()).andReturn().getResponse().getContentAsString();
        for (String state : new String[] { "READY", "FAILED", "ABSENT" }) {
            String answer = mvc.perform(b.post("/slices/" + slice + "/observed", """
                    {"state": "%s", "reason": "b says so"}
                    """.formatted(state)))
                    .andExpect(status().isNotFound())
                    .andExpect(jsonPath("$.title").value("Unknown slice"))
                    .andExpect(jsonPath("$.detail").value(containsString("on this host")))
                    .andReturn().getResponse().getContentAsString();
            assertThat(answer.replace(slice.toString(), "ID")).as("the same answer as for a slice that does not exist")
                    .isEqualTo(unknownSlice.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID"));
        }
        mvc.perform(b.post("/usage", """
                {"batchId": "%s", "samples": [{"sliceId": "%s", "sampledAt": "%s", "gpuUtilizationPercent": 5, "memoryUsedMib": 1}]}
                """.formatted(UUID.randomUUID(), slice, Instant.now())))
                // A usage batch naming a slice that is not the host's is refused as content (the agent skips it).
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.title").value("Unknown slice"));

        assertThat(fixtures.state(slice)).isEqualTo("PROVISIONING");
        assertThat(events(slice)).containsExactly("REQUESTED", "PLACED", "PROVISIONING");
        assertThat(jdbc.sql("select count(*) from usage_sample u join slice s on s.id = u.slice_id where s.uuid = ?")
                .param(slice).query(Long.class).single()).isZero();
    }

    @Test
    void absentOfAReleasingSliceReleasesItAndStaleReportsChangeNothing() throws Exception {
        Host host = fixtures.host();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 2);
        Requester tenant = fixtures.tenant();
        UUID releasing = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "RELEASING");
        UUID ready = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "READY");

        mvc.perform(host.post("/slices/" + releasing + "/observed", "{\"state\": \"READY\"}")).andExpect(status().isNoContent());
        assertThat(fixtures.state(releasing)).as("a late READY does not bring it back").isEqualTo("RELEASING");
        mvc.perform(host.post("/slices/" + releasing + "/observed", "{\"state\": \"ABSENT\"}")).andExpect(status().isNoContent());
        assertThat(jdbc.sql("select state, released_at is not null as released from slice where uuid = ?")
                .param(releasing).query().singleRow()).containsEntry("state", "RELEASED").containsEntry("released", true);
        assertThat(events(releasing)).endsWith("RELEASING", "RELEASED");

        mvc.perform(host.post("/slices/" + ready + "/observed", "{\"state\": \"ABSENT\"}")).andExpect(status().isNoContent());
        assertThat(fixtures.state(ready)).as("ABSENT of a slice still wanted is not a release").isEqualTo("READY");
    }

    private java.util.List<String> events(UUID slice) {
        return jdbc.sql("select e.to_state from slice_event e join slice s on s.id = e.slice_id where s.uuid = ? order by e.id")
                .param(slice).query(String.class).list();
    }
}
