package io.vgpuhub.web.metrics;

import jakarta.servlet.http.Cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.vgpuhub.web.security.SignIns;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Who may read the actuator: metrics for operators only, by portal session or HTTP Basic; Basic opens nothing else
 * and prompts nowhere else; no other endpoint is exposed.
 */
@MetricsTest
class ActuatorAccessTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anonymousScrapesAreAskedForBasicCredentialsAndGetNoSession() throws Exception {
        MvcResult result = mvc.perform(get("/actuator/prometheus"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("Basic")))
                .andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
    }

    @Test
    void anOperatorScrapesWithHttpBasicAndNoSessionIsKept() throws Exception {
        long sessionsBefore = storedSessions();
        MvcResult result = mvc.perform(get("/actuator/prometheus").with(httpBasic("olivia", "demo")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("vgpuhub_agents{")))
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE))
                .andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
        assertThat(storedSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void anOperatorSignedInToThePortalReadsTheMetrics() throws Exception {
        mvc.perform(get("/actuator/prometheus").cookie(SignIns.session(mvc, "olivia")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("vgpuhub_slices{")));
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        mvc.perform(get("/actuator/prometheus").with(httpBasic("olivia", "not-her-password")))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void usersWhoAreNotOperatorsAreRefusedEitherWay() throws Exception {
        mvc.perform(get("/actuator/prometheus").cookie(SignIns.session(mvc, "alice"))).andExpect(status().isForbidden());
        mvc.perform(get("/actuator/prometheus").with(httpBasic("alice", "demo"))).andExpect(status().isForbidden());
        mvc.perform(get("/actuator/prometheus").with(httpBasic("leo", "demo"))).andExpect(status().isForbidden());
    }

    @Test
    void basicCredentialsOpenNoPageAndPagesNeverPromptForThem() throws Exception {
        mvc.perform(get("/operator/hosts").with(httpBasic("olivia", "demo")))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/login"))
                .andExpect(header().doesNotExist(HttpHeaders.WWW_AUTHENTICATE));
        mvc.perform(get("/catalog")).andExpect(redirectedUrl("/login"))
                .andExpect(header().doesNotExist(HttpHeaders.WWW_AUTHENTICATE));
    }

    @Test
    void thePortalStillWantsACsrfTokenFromAnOperatorWhoReadsMetrics() throws Exception {
        Cookie olivia = SignIns.session(mvc, "olivia");
        mvc.perform(get("/actuator/prometheus").cookie(olivia)).andExpect(status().isOk());

        mvc.perform(post("/logout").cookie(olivia)).andExpect(status().isForbidden());
        mvc.perform(get("/operator/hosts").cookie(olivia)).andExpect(status().isOk());
    }

    @Test
    void noOtherEndpointIsExposedEvenToAnOperator() throws Exception {
        Cookie olivia = SignIns.session(mvc, "olivia");
        for (String endpoint : new String[] { "/actuator/env", "/actuator/beans", "/actuator/metrics",
                "/actuator/configprops", "/actuator/heapdump", "/actuator/loggers" }) {
            int byBasic = mvc.perform(get(endpoint).with(httpBasic("olivia", "demo"))).andReturn().getResponse().getStatus();
            int bySession = mvc.perform(get(endpoint).cookie(olivia)).andReturn().getResponse().getStatus();
            assertThat(byBasic).as(endpoint).isNotEqualTo(200);
            assertThat(bySession).as(endpoint).isEqualTo(404);
        }
        mvc.perform(get("/actuator").cookie(olivia)).andExpect(status().isForbidden());
    }

    private long storedSessions() {
        return jdbc.sql("select count(*) from spring_session").query(Long.class).single();
    }
}
