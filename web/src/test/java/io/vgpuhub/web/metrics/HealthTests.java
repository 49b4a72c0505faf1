package io.vgpuhub.web.metrics;

import static org.hamcrest.Matchers.hasItem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import io.vgpuhub.web.placement.TestCluster;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Health: a status for anyone, components and details for operators, and silent agents never take the server down. */
@MetricsTest
class HealthTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    /** The agents component shows what the gauges last read; the tests read now rather than wait for the schedule. */
    @Autowired
    ClusterGauges gauges;

    @Test
    void anonymousCallersSeeTheStatusAndNothingElse() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components").doesNotExist())
                .andExpect(jsonPath("$.details").doesNotExist());
    }

    @Test
    void anOperatorSeesTheDatabaseAndTheAgents() throws Exception {
        gauges.refresh();
        mvc.perform(get("/actuator/health").with(httpBasic("olivia", "demo"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.components.db.status").value("UP"))
                .andExpect(jsonPath("$.components.agents.status").value("UP"))
                .andExpect(jsonPath("$.components.agents.details.online").isNumber())
                .andExpect(jsonPath("$.components.agents.details.offline").isNumber())
                .andExpect(jsonPath("$.components.agents.details.draining").isNumber())
                .andExpect(jsonPath("$.components.agents.details.readAt").isString())
                .andExpect(jsonPath("$.components.agents.details.readEvery").value("PT1H"));
    }

    @Test
    void aTenantUserSeesNoDetails() throws Exception {
        mvc.perform(get("/actuator/health").with(httpBasic("alice", "demo"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.components").doesNotExist());
    }

    @Test
    void aSilentAgentIsNamedInTheAgentsComponentAndTheServerStaysUp() throws Exception {
        String name = "pt-silent-" + UUID.randomUUID();
        jdbc.sql("""
                insert into host (name, agent_token_hash, state, last_seen_at)
                values (?, md5(?) || md5(?), 'ONLINE', now() - interval '10 minutes')
                """).params(name, name, name).update();
        new TestCluster(jdbc).host();
        gauges.refresh();

        mvc.perform(get("/actuator/health").with(httpBasic("olivia", "demo"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components.agents.status").value("UP"))
                .andExpect(jsonPath("$.components.agents.details.silentHosts[*].host", hasItem(name)))
                .andExpect(jsonPath("$.components.agents.details.silent").value(org.hamcrest.Matchers.greaterThanOrEqualTo(1)));
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void theAgentsComponentShowsTheLastRefreshNotTheDatabaseOfTheMoment() throws Exception {
        gauges.refresh();
        long silentBefore = gauges.agents().orElseThrow().counts().silent();
        String name = "pt-unread-" + UUID.randomUUID();
        jdbc.sql("""
                insert into host (name, agent_token_hash, state, last_seen_at)
                values (?, md5(?) || md5(?), 'ONLINE', now() - interval '10 minutes')
                """).params(name, name, name).update();

        mvc.perform(get("/actuator/health").with(httpBasic("olivia", "demo")))
                .andExpect(jsonPath("$.components.agents.details.silent").value((int) silentBefore));
        gauges.refresh();
        mvc.perform(get("/actuator/health").with(httpBasic("olivia", "demo")))
                .andExpect(jsonPath("$.components.agents.details.silent").value((int) silentBefore + 1));
    }

    @Test
    void theProbesAreOpenAndReadinessDependsOnTheDatabaseNotTheAgents() throws Exception {
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/health/readiness").with(httpBasic("olivia", "demo"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.components.db.status").value("UP"))
                .andExpect(jsonPath("$.components.agents").doesNotExist());
        mvc.perform(get("/actuator/health/liveness").with(httpBasic("olivia", "demo")))
                .andExpect(jsonPath("$.components.db").doesNotExist());
    }
}
