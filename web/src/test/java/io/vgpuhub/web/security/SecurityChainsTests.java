package io.vgpuhub.web.security;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.vgpuhub.web.apitoken.ApiTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Three audiences, three chains: a credential of one never opens another's door, and each refuses in its own way. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
class SecurityChainsTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiTokens tokens;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PortalUserDetailsService users;

    @Value("${vgpuhub.demo.agent-token}")
    String hostToken;

    @Test
    void anApiTokenDoesNotOpenTheAgentApi() throws Exception {
        mvc.perform(get("/api/agent/v1/desired-state").header(HttpHeaders.AUTHORIZATION, "Bearer " + tomsToken()))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aHostTokenDoesNotOpenTheTenantApi() throws Exception {
        mvc.perform(get("/api/v1/slices").header(HttpHeaders.AUTHORIZATION, "Bearer " + hostToken))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void theAgentApiStillAnswersAPlain401() throws Exception {
        mvc.perform(get("/api/agent/v1/desired-state")).andExpect(status().isUnauthorized())
                .andExpect(header().doesNotExist(HttpHeaders.WWW_AUTHENTICATE))
                .andExpect(content().string(""));
    }

    @Test
    void anApiTokenDoesNotSignAnyoneInToThePortal() throws Exception {
        mvc.perform(get("/tenant-admin").header(HttpHeaders.AUTHORIZATION, "Bearer " + tomsToken()))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
    }

    @Test
    void thePortalStillWantsCsrfTokensWhileTheApiNeedsNone() throws Exception {
        var tom = user(users.loadUserByUsername("tom"));
        mvc.perform(post("/tenant-admin/tokens").with(tom).param("name", "no-csrf")).andExpect(status().isForbidden());
        mvc.perform(post("/tenant-admin/tokens").with(tom).with(csrf()).param("name", "with-csrf-" + System.nanoTime()))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/slices").header(HttpHeaders.AUTHORIZATION, "Bearer " + tomsToken())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"offeringCode\": \"A40-8Q\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("vmName")));
    }

    @Test
    void theApiIsNeverAnsweredWithASession() throws Exception {
        mvc.perform(get("/api/v1/offerings").header(HttpHeaders.AUTHORIZATION, "Bearer " + tomsToken()))
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
    }

    private String tomsToken() {
        long tom = jdbc.sql("select id from app_user where username = 'tom'").query(Long.class).single();
        long tenant = jdbc.sql("select tenant_id from app_user where id = ?").param(tom).query(Long.class).single();
        return tokens.issue(tenant, tom, "user:tom", "chains-" + System.nanoTime(), null).secret();
    }
}
