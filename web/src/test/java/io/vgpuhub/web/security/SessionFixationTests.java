package io.vgpuhub.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A session id someone learned (or planted) before the sign-in is worth nothing after it: signing in gives the browser
 * a new session id (sessions live in PostgreSQL through Spring Session, so this is its id change, not the container's).
 */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
class SessionFixationTests {

    @Autowired
    MockMvc mvc;

    @Test
    void signingInChangesTheSessionIdAndTheOldIdOpensNothing() throws Exception {
        Cookie before = mvc.perform(get("/login")).andExpect(status().isOk()).andReturn().getResponse().getCookie("SESSION");
        assertThat(before).as("the login page starts a session (it holds the CSRF token)").isNotNull();

        Cookie after = mvc.perform(post("/login").cookie(before).param("username", "alice").param("password", "demo")
                        .with(csrf()))
                .andExpect(redirectedUrl("/")).andReturn().getResponse().getCookie("SESSION");

        assertThat(after).isNotNull();
        assertThat(after.getValue()).isNotEqualTo(before.getValue());
        mvc.perform(get("/slices").cookie(after)).andExpect(status().isOk());
        mvc.perform(get("/slices").cookie(before)).andExpect(redirectedUrl("/login"));
    }
}
