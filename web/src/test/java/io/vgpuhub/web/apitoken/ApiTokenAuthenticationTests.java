package io.vgpuhub.web.apitoken;

import jakarta.servlet.http.Cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** Who gets into /api/v1: only a current token of an active user, and every refusal is a problem detail, never a login page. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTokenAuthenticationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApiTokens tokens;

    long tenantId;
    long userId;

    @BeforeAll
    void aTenantWithAUser() {
        jdbc.sql("insert into tenant (name) values ('Token auth') on conflict (name) do nothing").update();
        tenantId = jdbc.sql("select id from tenant where name = 'Token auth'").query(Long.class).single();
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, 'token-auth-user', 'Token user', '{noop}not-a-real-password-hash') on conflict do nothing
                """).param(tenantId).update();
        userId = jdbc.sql("select id from app_user where username = 'token-auth-user'").query(Long.class).single();
        jdbc.sql("insert into user_role (user_id, role) values (?, 'TENANT_USER') on conflict do nothing").param(userId).update();
    }

    @Test
    void aValidTokenIsLetInAndItsUseIsNoted() throws Exception {
        IssuedApiToken issued = issue(null);
        assertThat(issued.token().lastUsedAt()).isNull();
        withToken(issued.secret()).andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON));
        assertThat(tokens.find(tenantId, issued.token().id()).orElseThrow().lastUsedAt()).isNotNull();
    }

    @Test
    void noTokenIsA401ProblemWithABearerChallengeNotALoginRedirect() throws Exception {
        mvc.perform(get("/api/v1/slices")).andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"vGPU Hub\""))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.title").value("Unauthorized"))
                .andExpect(jsonPath("$.detail", containsString("Authorization: Bearer")))
                .andExpect(jsonPath("$.instance").value("/api/v1/slices"));
    }

    @Test
    void aMalformedHeaderOrTokenIsA401Problem() throws Exception {
        for (String header : new String[] {"Bearer", "Bearer not-a-token", "Basic dG9tOmRlbW8=", "vgh_abc",
                "Bearer vgh_" + "x".repeat(42) + "!"}) {
            mvc.perform(get("/api/v1/offerings").header(HttpHeaders.AUTHORIZATION, header))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("error=\"invalid_token\"")))
                    .andExpect(jsonPath("$.detail", containsString("must be 'Bearer vgh_...'")));
        }
    }

    @Test
    void aWellFormedTokenThatWasNeverIssuedIsA401Problem() throws Exception {
        withToken("vgh_" + "A".repeat(43)).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail", containsString("does not exist")));
    }

    @Test
    void aRevokedTokenIsRefused() throws Exception {
        IssuedApiToken issued = issue(null);
        withToken(issued.secret()).andExpect(status().isOk());
        tokens.revoke(tenantId, issued.token().id(), "user:test");
        withToken(issued.secret()).andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("has been revoked")));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        IssuedApiToken issued = issue(Duration.ofDays(1));
        withToken(issued.secret()).andExpect(status().isOk());
        jdbc.sql("update api_token set expires_at = ? where id = ?")
                .params(OffsetDateTime.now().minusSeconds(1), issued.token().id()).update();
        withToken(issued.secret()).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail", containsString("has expired")));
    }

    @Test
    void aTokenOfADisabledUserIsForbiddenAsAProblem() throws Exception {
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, 'token-auth-leaver', 'Leaver', '{noop}not-a-real-password-hash') on conflict do nothing
                """).param(tenantId).update();
        long leaver = jdbc.sql("select id from app_user where username = 'token-auth-leaver'").query(Long.class).single();
        jdbc.sql("insert into user_role (user_id, role) values (?, 'TENANT_USER') on conflict do nothing").param(leaver).update();
        String secret = tokens.issue(tenantId, leaver, "user:test", "leaver-" + UUID.randomUUID().toString().substring(0, 8),
                null).secret();
        withToken(secret).andExpect(status().isOk());
        jdbc.sql("update app_user set enabled = false where id = ?").param(leaver).update();
        withToken(secret).andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Forbidden"))
                .andExpect(jsonPath("$.detail", containsString("disabled or no longer a member")));
    }

    @Test
    void aPortalSessionDoesNotOpenTheApi() throws Exception {
        Cookie session = mvc.perform(formLogin("/login").user("alice").password("demo"))
                .andExpect(redirectedUrl("/")).andReturn().getResponse().getCookie("SESSION");
        mvc.perform(get("/api/v1/slices").cookie(session)).andExpect(status().isUnauthorized());
    }

    @Test
    void theApiNeedsNoCsrfTokenButATokenStill() throws Exception {
        mvc.perform(post("/api/v1/slices").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
        mvc.perform(post("/api/v1/slices").contentType(MediaType.APPLICATION_JSON).content("{}")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + issue(null).secret()))
                .andExpect(status().isBadRequest());
    }

    private IssuedApiToken issue(Duration validFor) {
        return tokens.issue(tenantId, userId, "user:test", "auth-" + UUID.randomUUID().toString().substring(0, 8), validFor);
    }

    private ResultActions withToken(String secret) throws Exception {
        return mvc.perform(get("/api/v1/offerings").header(HttpHeaders.AUTHORIZATION, "Bearer " + secret));
    }
}
