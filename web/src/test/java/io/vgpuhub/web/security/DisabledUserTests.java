package io.vgpuhub.web.security;

import jakarta.servlet.http.Cookie;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;

/** Disabling a user ends the session they already have, not only their next sign-in. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
class DisabledUserTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Test
    void aSignedInUserWhoIsDisabledIsSentToTheLoginPageOnTheirNextRequest() throws Exception {
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values ((select id from tenant where name = 'Acme Research'), 'soon-gone', 'Soon Gone', ?)
                on conflict (username) do update set enabled = true
                """).param(passwords.encode("soon-gone-password")).update();
        jdbc.sql("""
                insert into user_role (user_id, role) select id, 'TENANT_USER' from app_user where username = 'soon-gone'
                on conflict do nothing
                """).update();
        Cookie session = mvc.perform(formLogin("/login").user("soon-gone")
                        .password("soon-gone-password"))
                .andExpect(redirectedUrl("/")).andReturn().getResponse().getCookie("SESSION");
        mvc.perform(get("/slices").cookie(session)).andExpect(status().isOk());

        jdbc.sql("update app_user set enabled = false where username = 'soon-gone'").update();
        mvc.perform(get("/slices").cookie(session)).andExpect(redirectedUrl("/login"));
    }
}
