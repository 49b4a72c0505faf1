package io.vgpuhub.web.operator.hosttokens;

import static io.vgpuhub.web.operator.hosttokens.HostTokenFixtures.heartbeat;
import static io.vgpuhub.web.operator.hosttokens.HostTokenFixtures.issuedAtMicros;
import static io.vgpuhub.web.operator.hosttokens.HostTokenFixtures.secretIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vgpuhub.web.agentapi.AgentApiFixtures;
import io.vgpuhub.web.agentapi.HostTokens;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The operator registers a host, rotates and revokes its agent token through the pages; the agent API takes exactly the
 * current token, the database never holds a token, and each change leaves one audit row without it.
 */
@SpringBootTest(properties = { "vgpuhub.test.database=host-tokens", "vgpuhub.lifecycle.check-interval=1h" })
@AutoConfigureMockMvc
@Import(AgentApiFixtures.class)
@WithUserDetails("olivia")
class HostTokensPageTests {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures agents;

    @Test
    void registeringAHostShowsItsTokenOnceWithTheAgentSettingsAndStoresOnlyItsHash() throws Exception {
        String name = uniqueName();
        String page = mvc.perform(post("/operator/hosts").with(csrf()).param("name", name))
                .andExpect(status().isOk()).andExpect(header().string("Cache-Control", containsString("no-store")))
                .andReturn().getResponse().getContentAsString();
        String secret = secretIn(page);

        assertThat(page).contains("Host " + name + " is registered", "VGPUHUB_AGENT_TOKEN=" + secret,
                "VGPUHUB_SERVER=http://localhost", "VGPUHUB_AGENT_TOKEN=" + secret + " java -jar vgpuhub-host-agent-exec.jar run --server http://localhost",
                "systemctl enable --now vgpuhub-agent-restore vgpuhub-agent", "shown only this once");
        assertThat(jdbc.sql("select agent_token_hash, agent_token_prefix, state from host where name = ?").param(name)
                .query((rs, row) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3))).single())
                .containsExactly(HostTokens.hash(secret), secret.substring(0, 13), "OFFLINE");
        heartbeat(mvc, secret, 204);
        assertThat(audit("host.register", name)).singleElement().satisfies(row -> {
            assertThat(row).startsWith("user:olivia|token " + secret.substring(0, 13) + "…");
        });
        nowhereInTheDatabase(secret);

        long id = hostId(name);
        mvc.perform(get("/operator/hosts/{id}/token", id)).andExpect(status().isOk())
                .andExpect(content().string(not(containsString(secret))))
                .andExpect(content().string(containsString("starts with " + secret.substring(0, 13) + "…")));
    }

    @Test
    void rotatingATokenRefusesTheOldOneAtOnceAndTheNewOneWorks() throws Exception {
        String name = uniqueName();
        String old = register(name);
        long id = hostId(name);
        heartbeat(mvc, old, 204);

        String page = mvc.perform(fromTheTokenPage(id, "rotate"))
                .andExpect(status().isOk()).andExpect(header().string("Cache-Control", containsString("no-store")))
                .andReturn().getResponse().getContentAsString();
        String rotated = secretIn(page);

        assertThat(rotated).isNotEqualTo(old);
        assertThat(page).contains("Its previous token is refused from now on", "systemctl restart vgpuhub-agent");
        heartbeat(mvc, old, 401);
        heartbeat(mvc, rotated, 204);
        assertThat(audit("host.token.rotate", name)).singleElement().satisfies(row -> assertThat(row)
                .isEqualTo("user:olivia|token " + rotated.substring(0, 13) + "…; replaces token " + old.substring(0, 13) + "…"));
        nowhereInTheDatabase(old);
        nowhereInTheDatabase(rotated);
    }

    @Test
    void revokingATokenShutsTheAgentOutLeavesItsSlicesAndShowsOnTheHostsPage() throws Exception {
        String name = uniqueName();
        String secret = register(name);
        long id = hostId(name);
        AgentApiFixtures.Host host = new AgentApiFixtures.Host(id, name, secret);
        long gpu = agents.gpu(host, "0000:41:00.0", "A40", "VGPU", 2);
        UUID slice = agents.vgpuSlice(agents.tenant(), gpu, "A40-8Q", "READY");

        MockHttpServletRequestBuilder beforeTheRevocation = fromTheTokenPage(id, "revoke");
        mvc.perform(beforeTheRevocation)
                .andExpect(redirectedUrl("/operator/hosts/" + id + "/token"))
                .andExpect(flash().attribute("notice", "The token of " + name
                        + " is revoked: its agent is refused. Its live slices (1) were left as they are."));

        heartbeat(mvc, secret, 401);
        mvc.perform(host.get("/desired-state").with(anonymous())).andExpect(status().isUnauthorized());
        assertThat(agents.state(slice)).isEqualTo("READY");
        assertThat(jdbc.sql("select agent_token_hash is null and agent_token_revoked_at is not null from host where id = ?")
                .param(id).query(Boolean.class).single()).isTrue();
        mvc.perform(get("/operator/hosts")).andExpect(content().string(matchesPattern(
                "(?s).*data-host=\"" + name + "\">.*?token-revoked.*?token revoked.*")));
        mvc.perform(get("/operator/hosts/{id}", id)).andExpect(content().string(containsString("token revoked")));
        assertThat(audit("host.token.revoke", name)).containsExactly(
                "user:olivia|token " + secret.substring(0, 13) + "… refused from now on; 1 live slice(s) left as they are");

        // Again (a double click, or a revocation sent by hand from the revoked page): nothing changes, nothing more is audited.
        mvc.perform(beforeTheRevocation)
                .andExpect(flash().attribute("refusal", startsWith("The token of " + name + " changed since you loaded this page: it was revoked at ")));
        mvc.perform(post("/operator/hosts/{id}/token/revoke", id).with(csrf()).param("issuedAt", issuedAtMicros(jdbc, id))
                .param("revoked", "true"))
                .andExpect(flash().attribute("refusal", "The token of " + name + " was revoked already; nothing was changed."));
        assertThat(audit("host.token.revoke", name)).hasSize(1);

        // A new token lets the agent back in.
        String reissued = secretIn(mvc.perform(fromTheTokenPage(id, "rotate"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        heartbeat(mvc, reissued, 204);
        assertThat(audit("host.token.rotate", name)).singleElement()
                .satisfies(row -> assertThat(row).endsWith("; was revoked"));
    }

    @Test
    void twoRotationsFromTheSamePageIssueOneTokenAndTheSecondSaysWhy() throws Exception {
        String name = uniqueName();
        register(name);
        long id = hostId(name);
        MockHttpServletRequestBuilder rotate = fromTheTokenPage(id, "rotate");

        String first = secretIn(mvc.perform(rotate).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        String before = hostsAndAudit();
        mvc.perform(rotate).andExpect(redirectedUrl("/operator/hosts/" + id + "/token"))
                .andExpect(flash().attribute("refusal", matchesPattern("The token of " + Pattern.quote(name)
                        + " changed since you loaded this page: a new one was issued at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\."
                        + " Nothing was changed; look again before rotating or revoking\\.")))
                .andExpect(content().string(not(containsString("vgha_"))));

        assertThat(hostsAndAudit()).isEqualTo(before);
        assertThat(audit("host.token.rotate", name)).hasSize(1);
        heartbeat(mvc, first, 204);
    }

    @Test
    void aRotationFromAPageLoadedBeforeARevocationLeavesTheTokenRevoked() throws Exception {
        String name = uniqueName();
        String secret = register(name);
        long id = hostId(name);
        MockHttpServletRequestBuilder staleRotate = fromTheTokenPage(id, "rotate");
        mvc.perform(fromTheTokenPage(id, "revoke")).andExpect(flash().attributeExists("notice"));
        String before = hostsAndAudit();

        mvc.perform(staleRotate).andExpect(redirectedUrl("/operator/hosts/" + id + "/token"))
                .andExpect(flash().attribute("refusal", startsWith("The token of " + name
                        + " changed since you loaded this page: it was revoked at ")));

        assertThat(hostsAndAudit()).isEqualTo(before);
        assertThat(audit("host.token.rotate", name)).isEmpty();
        heartbeat(mvc, secret, 401);
        // Looked at again, the page offers a new token, and that works.
        heartbeat(mvc, secretIn(mvc.perform(fromTheTokenPage(id, "rotate")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString()), 204);
    }

    @Test
    void aRevocationFromAPageLoadedBeforeARotationLeavesTheNewTokenWorking() throws Exception {
        String name = uniqueName();
        register(name);
        long id = hostId(name);
        MockHttpServletRequestBuilder staleRevoke = fromTheTokenPage(id, "revoke");
        String rotated = secretIn(mvc.perform(fromTheTokenPage(id, "rotate")).andReturn().getResponse().getContentAsString());

        mvc.perform(staleRevoke).andExpect(flash().attribute("refusal", containsString("a new one was issued at")));

        heartbeat(mvc, rotated, 204);
        assertThat(audit("host.token.revoke", name)).isEmpty();
    }

    @Test
    void aRotationOrRevocationWithoutWhatThePageShowedOrWithItGarbledIsA400AndChangesNothing() throws Exception {
        String name = uniqueName();
        String secret = register(name);
        long id = hostId(name);
        String issuedAt = issuedAtMicros(jdbc, id);
        String before = hostsAndAudit();
        for (String action : List.of("rotate", "revoke")) {
            String url = "/operator/hosts/" + id + "/token/" + action;
            mvc.perform(post(url).with(csrf())).andExpect(status().isBadRequest())
                    .andExpect(content().string(containsString("The request lacks “issuedAt”.")));
            mvc.perform(post(url).with(csrf()).param("issuedAt", issuedAt)).andExpect(status().isBadRequest())
                    .andExpect(content().string(containsString("The request lacks “revoked”.")));
            mvc.perform(post(url).with(csrf()).param("issuedAt", "' or 1=1 --").param("revoked", "false"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().string(containsString("is not a valid value for issuedAt.")));
            mvc.perform(post(url).with(csrf()).param("issuedAt", issuedAt).param("revoked", "<script>alert(1)</script>"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().string(containsString("is not a valid value for revoked.")))
                    .andExpect(content().string(not(containsString("<script>alert("))));
        }
        assertThat(hostsAndAudit()).isEqualTo(before);
        heartbeat(mvc, secret, 204);
        // What the page sends is what the database holds: with it, the rotation goes through.
        mvc.perform(post("/operator/hosts/" + id + "/token/rotate").with(csrf()).param("issuedAt", issuedAt)
                .param("revoked", "false")).andExpect(status().isOk());
    }

    @Test
    void anIssuedTokenDoesNotPrintItsSecret() {
        HostTokenView host = new HostTokenView(7, "gpu-node-7", "vgha_abcd1234", Instant.EPOCH, null, null, 0);
        String secret = "vgha_" + "s".repeat(43);

        assertThat(new IssuedHostToken(secret, host, true).toString()).doesNotContain(secret).doesNotContain("sss")
                .contains("gpu-node-7");
    }

    @Test
    void aHostNameThatIsEmptyTakenOverlongOrNoNameIsRefusedOnTheFormAndChangesNothing() throws Exception {
        String taken = uniqueName();
        register(taken);
        String before = hostsAndAudit();
        for (String[] bad : new String[][] {
                { "", "Give the host a name." },
                { "   ", "Give the host a name." },
                { taken, "A host named " + taken + " is registered already." },
                { "h".repeat(64), "Use at most 63 characters." },
                { "gpu node 7", "Use letters, digits, dots and dashes only" },
                { "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
                { "-starts-with-a-dash", "Use letters, digits, dots and dashes only" } }) {
            mvc.perform(post("/operator/hosts").with(csrf()).param("name", bad[0]))
                    .andExpect(status().isOk())
                    .andExpect(content().string(containsString("class=\"error\"")))
                    .andExpect(content().string(containsString(bad[1])))
                    .andExpect(content().string(not(containsString("vgha_"))));
        }
        mvc.perform(post("/operator/hosts").with(csrf())).andExpect(status().isOk())
                .andExpect(content().string(containsString("Give the host a name.")));
        assertThat(hostsAndAudit()).isEqualTo(before);
    }

    @Test
    void anUnknownHostIsA404AndChangesNothing() throws Exception {
        String before = hostsAndAudit();
        mvc.perform(get("/operator/hosts/987654321/token")).andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no host with id 987654321.")));
        mvc.perform(post("/operator/hosts/987654321/token/rotate").with(csrf()).param("issuedAt", "0").param("revoked", "false"))
                .andExpect(status().isNotFound()).andExpect(content().string(containsString("There is no host with id 987654321.")));
        mvc.perform(post("/operator/hosts/987654321/token/revoke").with(csrf()).param("issuedAt", "0").param("revoked", "false"))
                .andExpect(status().isNotFound());
        mvc.perform(post("/operator/hosts/not-a-number/token/revoke").with(csrf())).andExpect(status().isBadRequest());
        assertThat(hostsAndAudit()).isEqualTo(before);
    }

    @Test
    void theRegisterPageAndTheHostsPageLeadToEachOther() throws Exception {
        mvc.perform(get("/operator/hosts")).andExpect(content().string(containsString("href=\"/operator/hosts/new\"")));
        mvc.perform(get("/operator/hosts/new")).andExpect(status().isOk())
                .andExpect(content().string(containsString("Register and issue a token")));
    }

    @Test
    @WithUserDetails("alice")
    void aTenantUserMayNotRegisterAHost() throws Exception {
        String before = hostsAndAudit();
        mvc.perform(post("/operator/hosts").with(csrf()).param("name", uniqueName())).andExpect(status().isForbidden());
        assertThat(hostsAndAudit()).isEqualTo(before);
    }

    private String register(String name) throws Exception {
        return secretIn(mvc.perform(post("/operator/hosts").with(csrf()).param("name", name))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    /** The page's rotate or revoke form, as submitted by whoever loaded the page now (with its hidden fields). */
    private MockHttpServletRequestBuilder fromTheTokenPage(long id, String action) throws Exception {
        String page = mvc.perform(get("/operator/hosts/{id}/token", id)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        Matcher form = Pattern.compile("(?s)<form action=\"(/operator/hosts/" + id + "/token/" + action + ")\" method=\"post\"[^>]*>(.*?)</form>")
                .matcher(page);
        assertThat(form.find()).as("the %s form on the token page", action).isTrue();
        MockHttpServletRequestBuilder request = post(form.group(1)).with(csrf());
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"(\\w+)\" value=\"([^\"]*)\"").matcher(form.group(2));
        while (hidden.find()) {
            if (!hidden.group(1).equals("_csrf")) {
                request.param(hidden.group(1), hidden.group(2));
            }
        }
        return request;
    }

    /** Every row of every table, as text, holds neither the token nor its bytes in hex (as a bytea column would). */
    private void nowhereInTheDatabase(String secret) {
        String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
        List<String> tables = jdbc.sql("""
                select quote_ident(table_name) from information_schema.tables
                where table_schema = 'public' and table_type = 'BASE TABLE'""").query(String.class).list();
        assertThat(tables).contains("host", "audit_event", "spring_session_attributes");
        for (String table : tables) {
            assertThat(jdbc.sql("select count(*) from " + table + " t where strpos(t::text, :secret) > 0 or strpos(t::text, :hex) > 0")
                    .param("secret", secret).param("hex", hex).query(Long.class).single())
                    .as("rows of %s holding the token", table).isZero();
        }
    }

    private List<String> audit(String action, String target) {
        return jdbc.sql("select actor || '|' || detail from audit_event where action = ? and target = ? order by id")
                .params(action, target).query(String.class).list();
    }

    private long hostId(String name) {
        return jdbc.sql("select id from host where name = ?").param(name).query(Long.class).single();
    }

    private String hostsAndAudit() {
        return jdbc.sql("""
                select (select string_agg(concat_ws(':', id, name, agent_token_hash, agent_token_revoked_at), ',' order by id)
                        from host) || '|' || (select count(*) from audit_event)""").query(String.class).single();
    }

    private static String uniqueName() {
        return "gpu-node-" + SEQUENCE.incrementAndGet() + "-" + (System.nanoTime() % 100000);
    }
}
