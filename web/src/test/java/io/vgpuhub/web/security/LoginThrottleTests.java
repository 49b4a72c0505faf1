package io.vgpuhub.web.security;

import static io.vgpuhub.web.security.SignIns.signIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Repeated wrong passwords pause sign-in for the name (and, with many more, for the address) without telling a real
 * name from a made-up one. Each test signs in from its own documentation address (RFC 5737), so the address count of
 * one test, or of other tests sharing this context (127.0.0.1), is never another's.
 */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
class LoginThrottleTests {

    private static final String LOCKED = "/login?locked=15";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @BeforeEach
    void user() {
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values ((select id from tenant where name = 'Acme Research'), 'throttled', 'Throttled', ?)
                on conflict (username) do nothing
                """).param(passwords.encode("throttled-password")).update();
        jdbc.sql("""
                insert into user_role (user_id, role) select id, 'TENANT_USER' from app_user where username = 'throttled'
                on conflict do nothing
                """).update();
        jdbc.sql("delete from login_attempt").update();
    }

    @Test
    void theFifthWrongPasswordLocksTheNameAndEvenTheRightPasswordIsThenRefused() throws Exception {
        for (int i = 1; i <= 4; i++) {
            signIn(mvc, "throttled", "wrong", "192.0.2.1").andExpect(redirectedUrl("/login?error"));
        }
        signIn(mvc, "throttled", "wrong", "192.0.2.1").andExpect(redirectedUrl(LOCKED));
        signIn(mvc, "throttled", "throttled-password", "192.0.2.1").andExpect(redirectedUrl(LOCKED));
        // Another address does not help: the name is locked.
        signIn(mvc, "throttled", "throttled-password", "192.0.2.2").andExpect(redirectedUrl(LOCKED));

        assertThat(jdbc.sql("select count(*) from audit_event where action = 'login.locked' and target = 'user:throttled'")
                .query(Long.class).single()).isEqualTo(1);
        mvc.perform(get(LOCKED)).andExpect(content().string(containsString("paused for 15 minutes")));
    }

    @Test
    void aNameNoOneHasLocksJustTheSame() throws Exception {
        for (int i = 1; i <= 4; i++) {
            signIn(mvc, "no-such-user", "wrong", "192.0.2.3").andExpect(redirectedUrl("/login?error"));
        }
        signIn(mvc, "no-such-user", "wrong", "192.0.2.3").andExpect(redirectedUrl(LOCKED));
        signIn(mvc, "No-Such-User", "anything", "192.0.2.4").andExpect(redirectedUrl(LOCKED));
    }

    @Test
    void afterTheLockoutTheRightPasswordWorksAndForgetsTheFailures() throws Exception {
        for (int i = 1; i <= 5; i++) {
            signIn(mvc, "throttled", "wrong", "192.0.2.5");
        }
        signIn(mvc, "throttled", "throttled-password", "192.0.2.5").andExpect(redirectedUrl(LOCKED));

        jdbc.sql("update login_attempt set locked_until = now() - interval '1 second' where subject = 'user:throttled'").update();
        signIn(mvc, "throttled", "wrong", "192.0.2.5").andExpect(redirectedUrl("/login?error"));
        signIn(mvc, "throttled", "throttled-password", "192.0.2.5").andExpect(redirectedUrl("/"));
        assertThat(jdbc.sql("select count(*) from login_attempt where subject = 'user:throttled'").query(Long.class).single())
                .isZero();
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() throws Exception {
        for (int i = 1; i <= 4; i++) {
            signIn(mvc, "throttled", "wrong", "192.0.2.6");
        }
        jdbc.sql("update login_attempt set window_started_at = now() - interval '16 minutes'").update();
        signIn(mvc, "throttled", "wrong", "192.0.2.6").andExpect(redirectedUrl("/login?error"));
        assertThat(jdbc.sql("select failures from login_attempt where subject = 'user:throttled'").query(Integer.class).single())
                .isEqualTo(1);
    }

    @Test
    void manyFailuresFromOneAddressLockThatAddressForEveryName() throws Exception {
        for (int i = 1; i < 50; i++) {
            signIn(mvc, "guess-" + i, "wrong", "198.51.100.7").andExpect(redirectedUrl("/login?error"));
        }
        signIn(mvc, "guess-50", "wrong", "198.51.100.7").andExpect(redirectedUrl(LOCKED));
        signIn(mvc, "throttled", "throttled-password", "198.51.100.7").andExpect(redirectedUrl(LOCKED));
        signIn(mvc, "throttled", "throttled-password", "198.51.100.8").andExpect(redirectedUrl("/"));
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'login.locked' and target = 'address:198.51.100.7'")
                .query(Long.class).single()).isEqualTo(1);
    }
}
