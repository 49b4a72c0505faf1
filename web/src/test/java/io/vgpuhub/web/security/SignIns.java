package io.vgpuhub.web.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import jakarta.servlet.http.Cookie;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** Signing in to the portal through its login form, as MockMvc tests do it. */
public final class SignIns {

    private SignIns() {
    }

    /**
     * Signs a demo user in (password {@code demo}) and returns the portal session's cookie: Spring Session keeps the
     * session itself in PostgreSQL, so a later request carries the cookie.
     */
    public static Cookie session(MockMvc mvc, String username) throws Exception {
        return mvc.perform(formLogin().user(username).password("demo"))
                .andExpect(authenticated())
                .andReturn().getResponse().getCookie("SESSION");
    }

    /** Posts the login form as a browser at {@code address} would, for what is counted and audited per address. */
    static ResultActions signIn(MockMvc mvc, String username, String password, String address) throws Exception {
        return mvc.perform(post("/login").param("username", username).param("password", password).with(csrf())
                .remoteAddress(address));
    }
}
