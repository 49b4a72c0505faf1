package io.vgpuhub.web.demo;

import static io.vgpuhub.web.operator.hosttokens.HostTokenFixtures.heartbeat;
import static io.vgpuhub.web.operator.hosttokens.HostTokenFixtures.issuedAtMicros;
import static io.vgpuhub.web.operator.hosttokens.HostTokenFixtures.secretIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.OffsetDateTime;

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

        heartbeat(mvc, settings.agentToken(), 204);
        heartbeat(mvc, previous, 401);
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
        heartbeat(mvc, settings.agentToken(), 204);
        long host = jdbc.sql("select id from host where name = ?").param(DemoSeeder.HOST).query(Long.class).single();

        mvc.perform(post("/operator/hosts/{id}/token/revoke", host).with(csrf()).param("issuedAt", issuedAtMicros(jdbc, host))
                .param("revoked", "false")).andExpect(flash().attributeExists("notice"));
        seeder.run(null);

        heartbeat(mvc, settings.agentToken(), 401);
        assertThat(jdbc.sql("select agent_token_hash is null and agent_token_revoked_at is not null from host where id = ?")
                .param(host).query(Boolean.class).single()).as("still revoked").isTrue();
        assertThat(output).contains(NOT_APPLIED + ": an operator revoked or rotated its token");
        assertThat(output.getAll().lines().filter(line -> line.contains(NOT_APPLIED))).singleElement()
                .satisfies(line -> assertThat(line).contains("INFO"));

        String page = mvc.perform(post("/operator/hosts/{id}/token/rotate", host).with(csrf())
                .param("issuedAt", issuedAtMicros(jdbc, host)).param("revoked", "true"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        String issued = secretIn(page);
        seeder.run(null);

        heartbeat(mvc, issued, 204);
        heartbeat(mvc, settings.agentToken(), 401);
    }

    private OffsetDateTime issuedAt() {
        return jdbc.sql("select agent_token_issued_at from host where name = ?").param(DemoSeeder.HOST)
                .query(OffsetDateTime.class).single();
    }
}
