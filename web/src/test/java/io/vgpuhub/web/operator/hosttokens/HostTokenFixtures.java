package io.vgpuhub.web.operator.hosttokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** What tests of hosts' agent tokens share: finding a token shown on a page, using it as an agent, the form's stamp. */
public final class HostTokenFixtures {

    /** An agent token as the token page shows it once. */
    public static final Pattern SECRET = Pattern.compile("vgha_[A-Za-z0-9_-]{43}");

    private HostTokenFixtures() {
    }

    /** The token on the page; fails if there is none. */
    public static String secretIn(String page) {
        Matcher matcher = SECRET.matcher(page);
        assertThat(matcher.find()).as("a token on the page").isTrue();
        return matcher.group();
    }

    /** A heartbeat as the agent sends it: no one signed in (not the test's user), only the bearer token. */
    public static void heartbeat(MockMvc mvc, String token, int expected) throws Exception {
        mvc.perform(post("/api/agent/v1/heartbeat").header("Authorization", "Bearer " + token).with(anonymous()))
                .andExpect(status().is(expected));
    }

    /** When the host's current token was issued, in microseconds, as the token forms carry it in {@code issuedAt}. */
    public static String issuedAtMicros(JdbcClient jdbc, long hostId) {
        return jdbc.sql("select (extract(epoch from agent_token_issued_at) * 1000000)::bigint::text from host where id = ?")
                .param(hostId).query(String.class).single();
    }
}
