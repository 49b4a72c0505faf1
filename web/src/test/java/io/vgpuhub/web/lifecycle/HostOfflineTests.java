package io.vgpuhub.web.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.vgpuhub.web.agentapi.AgentApiFixtures;
import io.vgpuhub.web.agentapi.AgentApiFixtures.Host;
import io.vgpuhub.web.agentapi.AgentApiTest;
import io.vgpuhub.web.inventory.HostLiveness;
import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Heartbeats, and hosts whose agents stop reporting: shown OFFLINE, given nothing, back ONLINE at their next word. */
@AgentApiTest
class HostOfflineTests {

    /** vgpuhub.placement.host-offline-after's default. */
    private static final Duration OFFLINE_AFTER = Duration.ofSeconds(90);

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures fixtures;

    @Autowired
    HostLiveness liveness;

    @Autowired
    SliceRequests requests;

    @Test
    void aHeartbeatIsASignOfLifeAndRecordsTheAgentsVersion() throws Exception {
        Host host = fixtures.host();
        mvc.perform(host.post("/heartbeat", "{\"agentVersion\": \"0.3.1\"}")).andExpect(status().isNoContent());
        assertThat(jdbc.sql("select state, agent_version, last_seen_at > now() - interval '1 minute' as fresh from host where id = ?")
                .param(host.id()).query().singleRow())
                .containsEntry("state", "ONLINE").containsEntry("agent_version", "0.3.1").containsEntry("fresh", true);

        mvc.perform(host.post("/heartbeat", "{}")).andExpect(status().isNoContent());
        mvc.perform(post("/api/agent/v1/heartbeat").header("Authorization", "Bearer " + host.token()))
                .andExpect(status().isNoContent());
        assertThat(jdbc.sql("select agent_version from host where id = ?").param(host.id()).query(String.class).single())
                .as("a heartbeat without a version keeps the known one").isEqualTo("0.3.1");
        mvc.perform(host.post("/heartbeat", "{\"agentVersion\": \"" + "9".repeat(65) + "\"}")).andExpect(status().isBadRequest());
        mvc.perform(post("/api/agent/v1/heartbeat").header("Authorization", "Bearer not-a-token")).andExpect(status().isUnauthorized());
    }

    @Test
    void aSilentHostGoesOfflineGetsNoNewSlicesAndComesBackWithItsNextHeartbeat() throws Exception {
        Host host = fixtures.host();
        fixtures.gpu(host, "0000:41:00.0", "L40S", "VGPU", 4);
        mvc.perform(host.post("/heartbeat", "{}")).andExpect(status().isNoContent());
        Requester tenant = fixtures.tenant();
        long offering = jdbc.sql("select id from offering where code = 'L40S-12Q'").query(Long.class).single();
        assertThat(requests.request(tenant, offering, "vm-before", 1)).hasSize(1);

        assertThat(liveness.markSilentHostsOffline(Instant.now())).as("it just reported").doesNotContain(host.name());
        List<String> offline = liveness.markSilentHostsOffline(Instant.now().plus(OFFLINE_AFTER).plusSeconds(1));
        assertThat(offline).contains(host.name());
        assertThat(state(host)).isEqualTo("OFFLINE");
        assertThat(jdbc.sql("select detail from audit_event where action = 'host.offline' and target = ?")
                .param("host " + host.name()).query(String.class).list()).containsExactly("no report from its agent for 90 s");
        assertThatThrownBy(() -> requests.request(tenant, offering, "vm-while-offline", 1))
                .as("an OFFLINE host gets nothing, even if its last report is recent").isInstanceOf(NoCapacityException.class);

        mvc.perform(host.post("/heartbeat", "{}")).andExpect(status().isNoContent());
        assertThat(state(host)).isEqualTo("ONLINE");
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'host.online' and target = ?")
                .param("host " + host.name()).query(Long.class).single()).isEqualTo(2);
        assertThat(requests.request(tenant, offering, "vm-after", 1)).hasSize(1);
    }

    @Test
    void everyAgentCallCountsAsASignOfLife() throws Exception {
        Host host = fixtures.host();
        mvc.perform(host.get("/desired-state?waitSeconds=0")).andExpect(status().isOk());
        assertThat(state(host)).isEqualTo("ONLINE");

        liveness.markSilentHostsOffline(Instant.now().plus(OFFLINE_AFTER).plusSeconds(1));
        assertThat(state(host)).isEqualTo("OFFLINE");
        mvc.perform(host.put("/inventory", "{\"gpus\": []}")).andExpect(status().isNoContent());
        assertThat(state(host)).isEqualTo("ONLINE");
    }

    @Test
    void aDrainingHostStaysDrainingWhetherItsAgentReportsOrNot() throws Exception {
        Host host = fixtures.host();
        jdbc.sql("update host set state = 'DRAINING', last_seen_at = now() - interval '1 hour' where id = ?")
                .param(host.id()).update();
        assertThat(liveness.markSilentHostsOffline(Instant.now())).doesNotContain(host.name());
        assertThat(state(host)).isEqualTo("DRAINING");
        mvc.perform(host.post("/heartbeat", "{}")).andExpect(status().isNoContent());
        assertThat(state(host)).isEqualTo("DRAINING");
    }

    private String state(Host host) {
        return jdbc.sql("select state from host where id = ?").param(host.id()).query(String.class).single();
    }
}
