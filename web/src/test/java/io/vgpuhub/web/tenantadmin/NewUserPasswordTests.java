package io.vgpuhub.web.tenantadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** A tenant admin cannot give a new user a password that is short, the user name, or a common one. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
class NewUserPasswordTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "eleven-char|Use 12 to 72 characters.",
            "weak-pw-user|The password must not be or contain the user name.",
            "my-weak-pw-user-2026|The password must not be or contain the user name.",
            "Password1234|This password is too easy to guess",
            "aaaaaaaaaaaaaaaa|This password is too easy to guess"})
    @WithUserDetails("tom")
    void aWeakPasswordIsExplainedAndNoUserIsAdded(String password, String message) throws Exception {
        mvc.perform(post("/tenant-admin/users").with(csrf()).param("displayName", "Weak")
                        .param("username", "weak-pw-user").param("password", password).param("roles", "TENANT_USER"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(message)));
        assertThat(jdbc.sql("select count(*) from app_user where username = 'weak-pw-user'").query(Long.class).single())
                .isZero();
    }

    @Test
    @WithUserDetails("tom")
    void aPassphraseIsAccepted() throws Exception {
        mvc.perform(post("/tenant-admin/users").with(csrf()).param("displayName", "Strong")
                        .param("username", "strong-pw-user").param("password", "violet tractor under rain")
                        .param("roles", "TENANT_USER"))
                .andExpect(redirectedUrl("/tenant-admin"));
        assertThat(jdbc.sql("select count(*) from app_user where username = 'strong-pw-user'").query(Long.class).single())
                .isOne();
    }

    @Test
    @WithUserDetails("tom")
    void theFormSaysTheRulesBeforeAnyoneTypes() throws Exception {
        mvc.perform(get("/tenant-admin"))
                .andExpect(content().string(containsString("At least 12 characters, not the user name and not a common password.")));
    }
}
