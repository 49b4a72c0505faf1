package io.vgpuhub.web.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.vgpuhub.web.agentapi.AgentApiFixtures;
import io.vgpuhub.web.agentapi.AgentApiFixtures.Host;
import io.vgpuhub.web.agentapi.AgentApiTest;
import io.vgpuhub.web.slice.ProvisioningTimeouts;
import io.vgpuhub.web.slice.Requester;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Slices their host did not make within vgpuhub.lifecycle.provisioning-timeout (5 minutes by default) go FAILED with a
 * reason. The checker is driven with the time of the test's choosing instead of waiting minutes.
 */
@AgentApiTest
class ProvisioningTimeoutTests {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures fixtures;

    @Autowired
    ProvisioningTimeouts timeouts;

    @Test
    void slicesStuckInPlacedOrProvisioningPastTheTimeoutFailWithAReasonAndTheirHostDropsThem() throws Exception {
        Host host = fixtures.host();
        Requester tenant = fixtures.tenant();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 3);
        UUID placed = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "PLACED");
        UUID provisioning = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "PROVISIONING");
        UUID ready = fixtures.vgpuSlice(tenant, gpu, "A40-8Q", "READY");
        long generation = fixtures.generation(host);

        timeouts.failStuckSlices(Instant.now().plus(TIMEOUT).minusSeconds(30));
        assertThat(fixtures.state(placed)).as("not yet past the timeout").isEqualTo("PLACED");
        assertThat(fixtures.state(provisioning)).isEqualTo("PROVISIONING");

        timeouts.failStuckSlices(Instant.now().plus(TIMEOUT).plusSeconds(1));
        for (UUID stuck : new UUID[] { placed, provisioning }) {
            assertThat(jdbc.sql("select state, failure_reason from slice where uuid = ?").param(stuck).query().singleRow())
                    .containsEntry("state", "FAILED")
                    .containsEntry("failure_reason", "the host did not create the device within 5m");
            assertThat(jdbc.sql("""
                    select e.from_state || '>' || e.to_state || ' by ' || e.actor || ': ' || e.reason
                    from slice_event e join slice s on s.id = e.slice_id where s.uuid = ? order by e.id desc limit 1
                    """).param(stuck).query(String.class).single())
                    .endsWith(">FAILED by timeout: the host did not create the device within 5m");
        }
        assertThat(fixtures.state(ready)).isEqualTo("READY");
        assertThat(fixtures.generation(host)).as("the host is told once").isEqualTo(generation + 1);

        mvc.perform(host.get("/desired-state?after=" + generation + "&waitSeconds=0"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.slices[*].sliceId").value(Matchers.contains(ready.toString())));

        mvc.perform(host.post("/slices/" + provisioning + "/observed", "{\"state\": \"READY\"}")).andExpect(status().isNoContent());
        assertThat(fixtures.state(provisioning)).as("a READY after the timeout is too late").isEqualTo("FAILED");
        assertThat(timeouts.failStuckSlices(Instant.now().plus(TIMEOUT).plusSeconds(1))).as("nothing left to fail").isZero();
    }
}
