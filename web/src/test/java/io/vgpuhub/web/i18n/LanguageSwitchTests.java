package io.vgpuhub.web.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The language switch: ?lang= on any page, remembered in a cookie for visitors and in app_user.locale for signed-in
 * users, whose choice follows them to their next login.
 */
@SpringBootTest
@AutoConfigureMockMvc
class LanguageSwitchTests {

    private static final String ENGLISH_LOGIN = "Sign in to vGPU Hub";
    private static final String CHINESE_LOGIN = "登录 vGPU Hub";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    String username;

    @BeforeEach
    void aTenantUserWithoutAStoredLanguage() {
        username = "lang-" + UUID.randomUUID().toString().substring(0, 8);
        long tenantId = jdbc.sql("insert into tenant (name) values (?) returning id").param("Tenant of " + username)
                .query(Long.class).single();
        long userId = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, 'Mei Lin', ?)
                returning id
                """).params(tenantId, username, passwords.encode("demo")).query(Long.class).single();
        jdbc.sql("insert into user_role (user_id, role) values (?, 'TENANT_USER')").param(userId).update();
    }

    @Test
    void aVisitorSwitchesTheLoginPageToChineseAndTheCookieKeepsIt() throws Exception {
        MvcResult switched = mvc.perform(get("/login").param("lang", "zh-CN")).andExpect(status().isOk()).andReturn();
        assertThat(switched.getResponse().getContentAsString()).contains(CHINESE_LOGIN, "<html lang=\"zh-CN\"");
        Cookie cookie = switched.getResponse().getCookie(UserLocaleResolver.COOKIE);
        assertThat(cookie).isNotNull();
        assertThat(cookie.getValue()).isEqualTo("zh-CN");
        assertThat(cookie.isHttpOnly()).isTrue();

        assertThat(body(get("/login").cookie(new Cookie(UserLocaleResolver.COOKIE, "zh-CN")))).contains(CHINESE_LOGIN);
        assertThat(body(get("/login"))).contains(ENGLISH_LOGIN);
    }

    @Test
    void aLanguageThePortalDoesNotSpeakOrGarbageChangesNothing() throws Exception {
        for (String lang : new String[] { "fr", "zh-TW", "%%%", "" }) {
            MvcResult result = mvc.perform(get("/login").param("lang", lang)).andExpect(status().isOk()).andReturn();
            assertThat(result.getResponse().getContentAsString()).as(lang).contains(ENGLISH_LOGIN);
            assertThat(result.getResponse().getCookie(UserLocaleResolver.COOKIE)).as(lang).isNull();
        }
        assertThat(body(get("/login").cookie(new Cookie(UserLocaleResolver.COOKIE, "de")))).contains(ENGLISH_LOGIN);
    }

    @Test
    void theBrowsersPreferenceChoosesTheFirstLanguageThePortalSpeaks() throws Exception {
        assertThat(body(get("/login").header("Accept-Language", "fr-FR, zh-CN;q=0.8, en;q=0.5"))).contains(CHINESE_LOGIN);
        assertThat(body(get("/login").header("Accept-Language", "zh-TW, en;q=0.5"))).contains(ENGLISH_LOGIN);
        assertThat(body(get("/login").header("Accept-Language", "ja"))).contains(ENGLISH_LOGIN);
    }

    @Test
    void aSignedInUsersChoiceIsStoredAndAppliedAtTheirNextLogin() throws Exception {
        Cookie session = logIn();
        assertThat(body(get("/slices").cookie(session))).contains("My slices");

        assertThat(body(get("/slices").param("lang", "zh-CN").cookie(session))).contains("我的切片");
        assertThat(storedLocale()).isEqualTo("zh-CN");
        assertThat(body(get("/catalog").cookie(session))).contains("产品目录");
        mvc.perform(post("/logout").with(csrf()).cookie(session)).andExpect(status().is3xxRedirection());

        // A new browser: no cookie, English preferred; the stored choice wins once the user is known.
        Cookie next = logIn();
        assertThat(body(get("/").cookie(next).header("Accept-Language", "en"))).contains("欢迎，Mei Lin");

        assertThat(body(get("/").param("lang", "en").cookie(next))).contains("Welcome, Mei Lin");
        assertThat(storedLocale()).isEqualTo("en");
    }

    @Test
    void aUserWithoutAStoredLanguageGetsTheBrowsersLanguage() throws Exception {
        Cookie session = logIn();
        assertThat(body(get("/").cookie(session).header("Accept-Language", "zh-CN"))).contains("欢迎，Mei Lin");
        assertThat(storedLocale()).isNull();
    }

    @Test
    void errorPagesSpeakTheVisitorsLanguage() throws Exception {
        Cookie session = logIn();
        mvc.perform(get("/slices/{id}/release", UUID.randomUUID()).cookie(session).header("Accept-Language", "zh-CN"))
                .andExpect(status().isNotFound())
                .andExpect(result -> assertThat(result.getResponse().getContentAsString()).contains("未找到"));
    }

    private Cookie logIn() throws Exception {
        MvcResult result = mvc.perform(formLogin("/login").user(username).password("demo")).andReturn();
        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/");
        return result.getResponse().getCookie("SESSION");
    }

    private String storedLocale() {
        return jdbc.sql("select locale from app_user where username = ?").param(username).query(String.class).optional()
                .orElse(null);
    }

    private String body(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
