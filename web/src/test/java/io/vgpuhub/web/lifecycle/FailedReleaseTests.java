package io.vgpuhub.web.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.web.agentapi.AgentApiFixtures;
import io.vgpuhub.web.agentapi.AgentApiFixtures.Host;
import io.vgpuhub.web.agentapi.AgentApiTest;
import io.vgpuhub.web.slice.ProvisioningTimeouts;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceLifecycle;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Releasing a FAILED slice: one its host was never sent is gone at once; one its host may hold something of goes
 * RELEASING, so that the agent removes what it made, and RELEASED once the agent says nothing of it is left.
 */
@AgentApiTest
class FailedReleaseTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures fixtures;

    @Autowired
    SliceLifecycle lifecycle;

    @Autowired
    ProvisioningTimeouts timeouts;

    @Test
    void aFailedSliceItsHostWasNeverSentIsReleasedAtOnce() {
        Host host = fixtures.host();
        Requester tenant = fixtures.tenant();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 1);
        UUID slice = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "PLACED");
        timeouts.failStuckSlices(Instant.now().plus(Duration.ofMinutes(6)));
        assertThat(fixtures.state(slice)).isEqualTo("FAILED");
        long generation = fixtures.generation(host);

        lifecycle.release(tenant, slice);

        assertThat(fixtures.state(slice)).isEqualTo("RELEASED");
        assertThat(events(slice)).containsExactly(
                "null>REQUESTED", "REQUESTED>PLACED", "PLACED>FAILED", "FAILED>RELEASED");
        assertThat(fixtures.generation(host)).as("nothing for the host to do").isEqualTo(generation);
    }

    @Test
    void aFailedSliceItsHostWasSentGoesReleasingUntilTheAgentReportsItAbsent() throws Exception {
        Host host = fixtures.host();
        Requester tenant = fixtures.tenant();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 1);
        UUID slice = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "PROVISIONING");
        mvc.perform(host.post("/slices/" + slice + "/observed", "{\"state\": \"FAILED\", \"reason\": \"EBUSY\"}"))
                .andExpect(status().isNoContent());
        long generation = fixtures.generation(host);

        lifecycle.release(tenant, slice);

        assertThat(fixtures.state(slice)).isEqualTo("RELEASING");
        assertThat(fixtures.generation(host)).as("the agent is told").isEqualTo(generation + 1);
        assertThat(jdbc.sql("select failure_reason from slice where uuid = ?").param(slice).query(String.class).single())
                .as("the reason it failed stays on record").isEqualTo("EBUSY");
        mvc.perform(host.get("/desired-state?after=" + generation + "&waitSeconds=0"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.slices[*].sliceId").value(Matchers.not(Matchers.hasItem(slice.toString()))));
        assertThat(fixtures.state(slice)).as("the agent has not reconciled the release yet").isEqualTo("RELEASING");

        mvc.perform(host.post("/slices/" + slice + "/observed", "{\"state\": \"ABSENT\"}")).andExpect(status().isNoContent());

        assertThat(fixtures.state(slice)).isEqualTo("RELEASED");
        assertThat(events(slice)).endsWith("PROVISIONING>FAILED", "FAILED>RELEASING", "RELEASING>RELEASED");
    }

    @Test
    void aReleasedFailedSliceOfWhichTheAgentHoldsNothingIsReleasedOnceTheAgentHasReconciledTheRelease() throws Exception {
        Host host = fixtures.host();
        Requester tenant = fixtures.tenant();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 1);
        UUID slice = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "FAILED");
        lifecycle.release(tenant, slice);
        long release = fixtures.generation(host);
        assertThat(fixtures.state(slice)).isEqualTo("RELEASING");

        mvc.perform(host.get("/desired-state?after=" + (release - 1) + "&waitSeconds=0")).andExpect(status().isOk());
        assertThat(fixtures.state(slice)).as("the agent is only now fetching the release").isEqualTo("RELEASING");
        mvc.perform(host.get("/desired-state?after=" + (release + 50) + "&waitSeconds=0")).andExpect(status().isOk());
        assertThat(fixtures.state(slice)).as("a generation this server never handed out proves nothing").isEqualTo("RELEASING");

        // The agent reconciled the release and reported nothing: it made nothing of the slice.
        mvc.perform(host.get("/desired-state?after=" + release + "&waitSeconds=0")).andExpect(status().isOk());

        assertThat(fixtures.state(slice)).isEqualTo("RELEASED");
        assertThat(jdbc.sql("""
                select e.actor || ': ' || e.reason from slice_event e join slice s on s.id = e.slice_id
                where s.uuid = ? and e.to_state = 'RELEASED'
                """).param(slice).query(String.class).single())
                .isEqualTo("agent:" + host.name() + ": the agent reconciled generation " + release
                        + " without the slice and holds no device of it");
    }

    @Test
    void aReleasedReadySliceWaitsForTheAgentsAbsentHoweverFarTheAgentHasGot() throws Exception {
        Host host = fixtures.host();
        Requester tenant = fixtures.tenant();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 1);
        UUID slice = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "READY");
        lifecycle.release(tenant, slice);
        long release = fixtures.generation(host);

        mvc.perform(host.get("/desired-state?after=" + release + "&waitSeconds=0")).andExpect(status().isOk());

        assertThat(fixtures.state(slice)).as("its device exists until the agent says it is gone (the VM may hold it)")
                .isEqualTo("RELEASING");
        mvc.perform(host.post("/slices/" + slice + "/observed", "{\"state\": \"ABSENT\"}")).andExpect(status().isNoContent());
        assertThat(fixtures.state(slice)).isEqualTo("RELEASED");
    }

    @Test
    void everyStepOfASlicesLifeIsAnEventWithItsActorAndReason() throws Exception {
        Host host = fixtures.host();
        Requester tenant = fixtures.tenant();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 1);
        UUID slice = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "PLACED");
        String agent = "agent:" + host.name();

        mvc.perform(host.get("/desired-state?waitSeconds=0")).andExpect(status().isOk());
        mvc.perform(host.post("/slices/" + slice + "/observed", "{\"state\": \"READY\", \"mdevUuid\": \"" + slice + "\"}"))
                .andExpect(status().isNoContent());
        lifecycle.release(tenant, slice);
        mvc.perform(host.post("/slices/" + slice + "/observed", "{\"state\": \"ABSENT\"}")).andExpect(status().isNoContent());

        assertThat(jdbc.sql("""
                select coalesce(e.from_state, '-') || '>' || e.to_state || ' ' || e.actor || ' ' || (e.at is not null)
                from slice_event e join slice s on s.id = e.slice_id where s.uuid = ? and e.actor <> 'fixture' order by e.id
                """).param(slice).query(String.class).list()).containsExactly(
                "PLACED>PROVISIONING " + agent + " true",
                "PROVISIONING>READY " + agent + " true",
                "READY>RELEASING " + tenant.actor() + " true",
                "RELEASING>RELEASED " + agent + " true");
        assertThat(jdbc.sql("select count(*) from slice_event e join slice s on s.id = e.slice_id where s.uuid = ? and e.reason is null")
                .param(slice).query(Long.class).single()).as("every event says why").isZero();
    }

    private List<String> events(UUID slice) {
        return jdbc.sql("""
                select coalesce(e.from_state, 'null') || '>' || e.to_state from slice_event e join slice s on s.id = e.slice_id
                where s.uuid = ? order by e.id
                """).param(slice).query(String.class).list();
    }
}
