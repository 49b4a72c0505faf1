package io.vgpuhub.web.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.UUID;

import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The hosts page: whether each agent reports, what each host carries, and draining with its audit rows. */
@OperatorPageTest
@WithUserDetails("olivia")
class HostsPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SliceRequests requests;

    OperatorFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new OperatorFixtures(jdbc);
    }

    @Test
    void eachHostShowsItsStateHeartbeatAgentGpusAndLiveSlices() throws Exception {
        String online = OperatorFixtures.unique("fresh");
        long onlineId = fixtures.host(online, "ONLINE", Duration.ofSeconds(12), "0.3.1");
        long gpu = fixtures.gpu(onlineId, "A40", "VGPU", false, 4);
        fixtures.gpu(onlineId, "A40", "VGPU", false, 4);
        fixtures.slice(gpu, "A40-8Q", "render-1", null);
        String stale = OperatorFixtures.unique("stale");
        fixtures.host(stale, "ONLINE", Duration.ofMinutes(10), null);
        String draining = OperatorFixtures.unique("draining");
        fixtures.host(draining, "DRAINING", Duration.ofSeconds(5), "0.3.1");

        mvc.perform(get("/operator/hosts")).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        matchesPattern("(?s).*data-host=\"" + online + "\">.*?status-ONLINE.*?1[2-9] seconds ago.*?"
                                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC.*?0\\.3\\.1.*?<span>2</span>.*?<td>8</td>\\s*<td>1</td>.*"),
                        matchesPattern("(?s).*data-host=\"" + stale + "\">.*?status-OFFLINE.*?10 minutes ago.*?not reported.*"),
                        matchesPattern("(?s).*data-host=\"" + draining + "\">.*?status-DRAINING.*?Undrain.*"),
                        containsString("Drain " + online + "? It gets no new slices from now on. Its live slices (1) keep running"))));
    }

    @Test
    void theDemoHostThatNeverReportedIsOfflineAndNeverSeen() throws Exception {
        mvc.perform(get("/operator/hosts")).andExpect(status().isOk())
                .andExpect(content().string(matchesPattern("(?s).*data-host=\"sim-host-1\">.*?status-OFFLINE.*?never.*")));
    }

    @Test
    void drainingAHostKeepsItsSlicesRunningAndPlacesNothingNewOnItAndIsAudited() throws Exception {
        String name = OperatorFixtures.unique("busy");
        long host = fixtures.host(name, "ONLINE", Duration.ofSeconds(1), "0.3.1");
        long gpu = fixtures.gpu(host, "L40S", "VGPU", false, 6);
        UUID running = fixtures.slice(gpu, "L40S-8Q", "cad-1", null);
        Requester acme = new Requester(fixtures.acme(), aliceId(), "user:alice");

        mvc.perform(post("/operator/hosts/{id}/drain", host).with(csrf()))
                .andExpect(redirectedUrl("/operator/hosts"))
                .andExpect(flash().attribute("notice",
                        "Host " + name + " is draining: it gets no new slices, and its live slices (1) keep running."));

        assertThat(fixtures.hostState(host)).isEqualTo("DRAINING");
        assertThat(fixtures.audits("host.drain", name)).isEqualTo(1);
        assertThat(jdbc.sql("select actor from audit_event where action = 'host.drain' and target = ?").param(name)
                .query(String.class).single()).isEqualTo("user:olivia");
        assertThat(jdbc.sql("select state from slice where uuid = ?").param(running).query(String.class).single())
                .isEqualTo("READY");
        long l40s = fixtures.offering("L40S-8Q");
        assertThatThrownBy(() -> requests.request(acme, l40s, "cad-2", 1)).isInstanceOf(NoCapacityException.class);
    }

    @Test
    void undrainingAReportingHostMakesItOnlineAndItTakesSlicesAgain() throws Exception {
        String name = OperatorFixtures.unique("back");
        long host = fixtures.host(name, "DRAINING", Duration.ofSeconds(3), "0.3.1");
        long gpu = fixtures.gpu(host, "A16", "VGPU", false, 4);

        mvc.perform(post("/operator/hosts/{id}/undrain", host).with(csrf()))
                .andExpect(redirectedUrl("/operator/hosts"))
                .andExpect(flash().attribute("notice", "Host " + name + " is online again and takes new slices."));

        assertThat(fixtures.hostState(host)).isEqualTo("ONLINE");
        assertThat(fixtures.audits("host.undrain", name)).isEqualTo(1);
        Requester acme = new Requester(fixtures.acme(), aliceId(), "user:alice");
        assertThat(requests.request(acme, fixtures.offering("A16-4Q"), "desk-1", 1)).hasSize(1);
        assertThat(jdbc.sql("select count(*) from slice where gpu_id = ?").param(gpu).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void undrainingASilentHostLeavesItOffline() throws Exception {
        String name = OperatorFixtures.unique("quiet");
        long host = fixtures.host(name, "DRAINING", Duration.ofHours(3), null);

        mvc.perform(post("/operator/hosts/{id}/undrain", host).with(csrf()))
                .andExpect(flash().attribute("notice", containsString("stays offline until the agent reports")));

        assertThat(fixtures.hostState(host)).isEqualTo("OFFLINE");
        assertThat(fixtures.audits("host.undrain", name)).isEqualTo(1);
    }

    @Test
    void drainingTwiceChangesNothingTheSecondTime() throws Exception {
        String name = OperatorFixtures.unique("twice");
        long host = fixtures.host(name, "ONLINE", Duration.ofSeconds(1), null);
        mvc.perform(post("/operator/hosts/{id}/drain", host).with(csrf()));

        mvc.perform(post("/operator/hosts/{id}/drain", host).with(csrf()))
                .andExpect(flash().attribute("refusal", "Host " + name + " is already draining; nothing was changed."));
        mvc.perform(post("/operator/hosts/{id}/undrain", fixtures.host(OperatorFixtures.unique("up"), "ONLINE",
                        Duration.ofSeconds(1), null)).with(csrf()))
                .andExpect(flash().attribute("refusal", containsString("is not draining; nothing was changed.")));

        assertThat(fixtures.audits("host.drain", name)).isEqualTo(1);
    }

    @Test
    void anUnknownOrMalformedHostIsExplainedAndChangesNothing() throws Exception {
        long audits = fixtures.allAudits();
        mvc.perform(post("/operator/hosts/{id}/drain", 987654).with(csrf()))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no host with id 987654.")));
        mvc.perform(post("/operator/hosts/{id}/undrain", "sim-host-1").with(csrf()))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("“sim-host-1” is not a valid value for hostId.")));
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }

    @Test
    void aDrainWithoutCsrfTokenIsRefused() throws Exception {
        long host = fixtures.host(OperatorFixtures.unique("csrf"), "ONLINE", Duration.ofSeconds(1), null);
        mvc.perform(post("/operator/hosts/{id}/drain", host)).andExpect(status().isForbidden());
        assertThat(fixtures.hostState(host)).isEqualTo("ONLINE");
    }

    private long aliceId() {
        return jdbc.sql("select id from app_user where username = 'alice'").query(Long.class).single();
    }
}
