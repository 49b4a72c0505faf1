package io.vgpuhub.web.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vgpuhub.web.agentapi.HostTokens;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The demo host's configured agent token is seeded at every start, unless an operator took the host's token over on
 * its token page: a revoked (perhaps leaked) demo token must not come back with the next deploy.
 */
@SpringBootTest(properties = "vgpuhub.test.database=demo-seeder")
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class DemoSeederTests {

    private static final Pattern SECRET = Pattern.compile("vgha_[A-Za-z0-9_-]{43}");
    private static final String NOT_APPLIED = "The configured demo agent token was not applied to host 'sim-host-1'";

    @Autowired
    DemoSeeder seeder;

    @Autowired
    DemoSettings settings;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aChangedConfiguredTokenReplacesThePreviousOneAtTheNextStart(CapturedOutput output) throws Exception {
        // As a previous deploy with another configured token left the host.
        String previous = "an-older-demo-token-" + System.nanoTime();
        jdbc.sql("""
                update host set agent_token_hash = ?, agent_token_prefix = null, agent_token_revoked_at = null,
                    agent_token_issued_at = now() - interval '1 day'
                where name = ?""").params(HostTokens.hash(previous), DemoSeeder.HOST).update();

        seeder.run(null);

        heartbeat(settings.agentToken(), 204);
        heartbeat(previous, 401);
        assertThat(issuedAt()).isAfter(OffsetDateTime.now().minusSeconds(60));
        // A start with the same configuration changes nothing, not even when the token was issued.
        OffsetDateTime issued = issuedAt();
        seeder.run(null);
        assertThat(issuedAt()).isEqualTo(issued);
        assertThat(output).doesNotContain(NOT_APPLIED);
    }

    @Test
    @WithUserDetails("olivia")
    void anOperatorsRevocationAndNewTokenOutliveTheNextStarts(CapturedOutput output) throws Exception {
        seeder.run(null);
        heartbeat(settings.agentToken(), 204);
        long host = jdbc.sql("select id from host where name = ?").param(DemoSeeder.HOST).query(Long.class).single();

        mvc.perform(post("/operator/hosts/{id}/token/revoke", host).with(csrf()).param("issuedAt", issuedAtMicros())
                .param("revoked", "false")).andExpect(flash().attributeExists("notice"));
        seeder.run(null);

        heartbeat(settings.agentToken(), 401);
        assertThat(jdbc.sql("select agent_token_hash is null and agent_token_revoked_at is not null from host where id = ?")
                .param(host).query(Boolean.class).single()).as("still revoked").isTrue();
        assertThat(output).contains(NOT_APPLIED + ": an operator revoked or rotated its token");
        assertThat(output.getAll().lines().filter(line -> line.contains(NOT_APPLIED))).singleElement()
                .satisfies(line -> assertThat(line).contains("INFO"));

        String page = mvc.perform(post("/operator/hosts/{id}/token/rotate", host).with(csrf())
                .param("issuedAt", issuedAtMicros()).param("revoked", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        Matcher issued = SECRET.matcher(page);
        assertThat(issued.find()).isTrue();
        seeder.run(null);

        heartbeat(issued.group(), 204);
        heartbeat(settings.agentToken(), 401);
    }

    private void heartbeat(String token, int expected) throws Exception {
        mvc.perform(post("/api/agent/v1/heartbeat").header("Authorization", "Bearer " + token).with(anonymous()))
                .andExpect(status().is(expected));
    }

    private OffsetDateTime issuedAt() {
        return jdbc.sql("select agent_token_issued_at from host where name = ?").param(DemoSeeder.HOST)
                .query(OffsetDateTime.class).single();
    }

    private String issuedAtMicros() {
        return jdbc.sql("select (extract(epoch from agent_token_issued_at) * 1000000)::bigint::text from host where name = ?")
                .param(DemoSeeder.HOST).query(String.class).single();
    }
}
