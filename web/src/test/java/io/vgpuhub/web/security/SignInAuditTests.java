package io.vgpuhub.web.security;

import static io.vgpuhub.web.security.SignIns.signIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import java.util.List;

import jakarta.servlet.http.Cookie;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Sign-ins, failed sign-ins and sign-outs each leave an audit row: who (the name as typed for a failure), from which
 * address, why a sign-in failed, and never a password. Same application as {@link LoginThrottleTests}; each test signs
 * in from its own documentation address (RFC 5737), so its rows and its throttle counts are its own.
 */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class SignInAuditTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @BeforeEach
    void noThrottling() {
        jdbc.sql("delete from login_attempt").update();
    }

    @Test
    void aSignInIsAuditedWithTheUserAndTheClientAddress() throws Exception {
        signIn(mvc, "alice", "demo", "192.0.2.21").andExpect(redirectedUrl("/"));

        assertThat(rowsFrom("192.0.2.21")).containsExactly("login.succeeded|user:alice|user:alice|from 192.0.2.21");
    }

    @Test
    void aFailedSignInIsAuditedWithTheNameAsTypedAndWhyButNoPassword() throws Exception {
        signIn(mvc, "Alice", "not-the-password-7f3a", "192.0.2.22").andExpect(redirectedUrl("/login?error"));
        signIn(mvc, "nobody-by-this-name", "another-secret-9c1e", "192.0.2.22").andExpect(redirectedUrl("/login?error"));
        signIn(mvc, "", "blank-name-secret", "192.0.2.22").andExpect(redirectedUrl("/login?error"));

        assertThat(rowsFrom("192.0.2.22")).containsExactly(
                "login.failed|anonymous|user:Alice|from 192.0.2.22: wrong user name or password",
                "login.failed|anonymous|user:nobody-by-this-name|from 192.0.2.22: wrong user name or password",
                "login.failed|anonymous|user:(blank)|from 192.0.2.22: wrong user name or password");
        assertThat(jdbc.sql("""
                select count(*) from audit_event t
                where strpos(t::text, 'not-the-password') > 0 or strpos(t::text, 'another-secret') > 0
                   or strpos(t::text, 'blank-name-secret') > 0""").query(Long.class).single()).isZero();
    }

    @Test
    void aDisabledUsersSignInIsAuditedAsSuch() throws Exception {
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash, enabled)
                values ((select id from tenant where name = 'Acme Research'), 'gone', 'Gone', ?, false)
                on conflict (username) do nothing""").param(passwords.encode("gone-password")).update();

        signIn(mvc, "gone", "gone-password", "192.0.2.23").andExpect(redirectedUrl("/login?error"));

        assertThat(rowsFrom("192.0.2.23")).containsExactly("login.failed|anonymous|user:gone|from 192.0.2.23: account disabled");
    }

    @Test
    void anOverlongTypedNameIsCutToFitAndTheSignInStillFails() throws Exception {
        signIn(mvc, "x".repeat(5000), "whatever", "192.0.2.24").andExpect(redirectedUrl("/login?error"));

        assertThat(rowsFrom("192.0.2.24")).singleElement()
                .satisfies(row -> assertThat(row).startsWith("login.failed|anonymous|user:xxx").contains("x|from 192.0.2.24"));
    }

    @Test
    void controlCharactersInATypedNameForgeNoLogLineAndLoseNoRow(CapturedOutput output) throws Exception {
        signIn(mvc, "mallory\r\nERROR forged-line-7d2c\u0000x\u0085y\u2028z", "whatever", "192.0.2.26").andExpect(redirectedUrl("/login?error"));

        assertThat(rowsFrom("192.0.2.26")).containsExactly(
                "login.failed|anonymous|user:mallory??ERROR forged-line-7d2c?x?y?z|from 192.0.2.26: wrong user name or password");
        assertThat(output.getAll().lines()).noneMatch(line -> line.startsWith("ERROR forged-line-7d2c"));
        // Counted towards the throttle like any failed sign-in.
        assertThat(jdbc.sql("select failures from login_attempt where subject = ?")
                .param("user:mallory??error forged-line-7d2c?x?y?z").query(Integer.class).list()).containsExactly(1);
    }

    @Test
    void aSignOutIsAudited() throws Exception {
        Cookie session = signIn(mvc, "tom", "demo", "192.0.2.25").andReturn().getResponse().getCookie("SESSION");
        assertThat(session).isNotNull();

        mvc.perform(post("/logout").with(csrf()).cookie(session).remoteAddress("192.0.2.25"))
                .andExpect(redirectedUrl("/login?logout"));

        assertThat(rowsFrom("192.0.2.25")).containsExactly("login.succeeded|user:tom|user:tom|from 192.0.2.25",
                "login.logout|user:tom|user:tom|from 192.0.2.25");
    }

    private List<String> rowsFrom(String address) {
        return jdbc.sql("""
                select action || '|' || actor || '|' || target || '|' || detail from audit_event
                where action like 'login.%' and detail like :from order by id""")
                .param("from", "from " + address + "%").query(String.class).list();
    }
}
