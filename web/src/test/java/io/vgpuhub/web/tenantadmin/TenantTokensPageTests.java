package io.vgpuhub.web.tenantadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vgpuhub.web.apitoken.ApiTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** Tom issues, lists and revokes his tenant's API tokens; the secret is shown once; other tenants' tokens do not exist. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
@WithUserDetails("tom")
class TenantTokensPageTests {

    private static final Pattern SECRET = Pattern.compile("<code id=\"token-secret\">(vgh_[A-Za-z0-9_-]{43})</code>");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApiTokens tokens;

    @Test
    void anIssuedTokenIsShownOnceWorksAtTheApiAndIsListedOnlyByItsPrefix() throws Exception {
        String name = "ci-" + suffix();
        String page = mvc.perform(post("/tenant-admin/tokens").with(csrf()).param("name", name).param("validForDays", "30"))
                .andExpect(status().isOk())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, containsString("no-store")))
                .andExpect(content().string(containsString("It is shown only this once")))
                .andExpect(content().string(containsString("curl -H &#39;Authorization: Bearer vgh_")))
                .andReturn().getResponse().getContentAsString();
        Matcher secret = SECRET.matcher(page);
        assertThat(secret.find()).isTrue();

        mvc.perform(get("/api/v1/offerings").header(HttpHeaders.AUTHORIZATION, "Bearer " + secret.group(1)))
                .andExpect(status().isOk());
        mvc.perform(get("/tenant-admin")).andExpect(status().isOk())
                .andExpect(content().string(containsString("data-token=\"" + name + "\"")))
                .andExpect(content().string(containsString(secret.group(1).substring(0, 12) + "…")))
                .andExpect(content().string(not(containsString(secret.group(1)))));
        assertThat(jdbc.sql("""
                select count(*) from audit_event where action = 'token.issue' and target = ? and actor = 'user:tom'
                and tenant_id = (select id from tenant where name = 'Acme Research')
                """).param("token:" + name).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aTokenWithoutExpiryWorksUntilRevoked() throws Exception {
        mvc.perform(post("/tenant-admin/tokens").with(csrf()).param("name", "forever-" + suffix()).param("validForDays", ""))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("It works until it is revoked.")));
    }

    @Test
    void anInvalidOrTakenNameIsExplainedAndNothingIsIssued() throws Exception {
        String name = "dup-" + suffix();
        mvc.perform(post("/tenant-admin/tokens").with(csrf()).param("name", name)).andExpect(status().isOk());
        long before = count();
        mvc.perform(post("/tenant-admin/tokens").with(csrf()).param("name", name))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("already has a token of this name")));
        mvc.perform(post("/tenant-admin/tokens").with(csrf()).param("name", "<script>"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Use 1 to 63 letters, digits, spaces")));
        mvc.perform(post("/tenant-admin/tokens").with(csrf()).param("name", "ok").param("validForDays", "9999"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("at most 730 days")));
        mvc.perform(post("/tenant-admin/tokens").with(csrf()).param("name", "ok").param("validForDays", "soon"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Choose how long the token works.")));
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void revokingAsksFirstThenRefusesTheTokenFromTheNextCall() throws Exception {
        long tom = jdbc.sql("select id from app_user where username = 'tom'").query(Long.class).single();
        long acme = jdbc.sql("select tenant_id from app_user where id = ?").param(tom).query(Long.class).single();
        var issued = tokens.issue(acme, tom, "user:tom", "to-revoke-" + suffix(), null);
        long id = issued.token().id();

        mvc.perform(get("/tenant-admin/tokens/{id}/revoke", id)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Revoke token \u201c" + issued.token().name() + "\u201d?")))
                .andExpect(content().string(containsString("get \u201c401 Unauthorized\u201d from their next call")));
        assertThat(tokens.find(acme, id).orElseThrow().revoked()).isFalse();

        mvc.perform(post("/tenant-admin/tokens/{id}/revoke", id).with(csrf()))
                .andExpect(redirectedUrl("/tenant-admin"))
                .andExpect(flash().attribute("notice", "admin.tokens.revoked"));
        assertThat(tokens.find(acme, id).orElseThrow().revoked()).isTrue();
        mvc.perform(get("/api/v1/offerings").header(HttpHeaders.AUTHORIZATION, "Bearer " + issued.secret()))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/tenant-admin/tokens/{id}/revoke", id))
                .andExpect(content().string(containsString("This token is already revoked.")));
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'token.revoke' and target = ? and actor = 'user:tom'")
                .param("token:" + issued.token().name()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void anotherTenantsTokenIsNotFoundAndStaysUsable() throws Exception {
        jdbc.sql("insert into tenant (name) values ('Initech') on conflict (name) do nothing").update();
        long initech = jdbc.sql("select id from tenant where name = 'Initech'").query(Long.class).single();
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, 'initech-ian', 'Ian', '{noop}not-a-real-password-hash') on conflict do nothing
                """).param(initech).update();
        long ian = jdbc.sql("select id from app_user where username = 'initech-ian'").query(Long.class).single();
        var theirs = tokens.issue(initech, ian, "user:initech-ian", "theirs-" + suffix(), null);

        mvc.perform(get("/tenant-admin/tokens/{id}/revoke", theirs.token().id())).andExpect(status().isNotFound());
        mvc.perform(post("/tenant-admin/tokens/{id}/revoke", theirs.token().id()).with(csrf())).andExpect(status().isNotFound());
        mvc.perform(get("/tenant-admin")).andExpect(content().string(not(containsString(theirs.token().name()))));
        assertThat(tokens.find(initech, theirs.token().id()).orElseThrow().revoked()).isFalse();
    }

    private long count() {
        return jdbc.sql("select count(*) from api_token").query(Long.class).single();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
