package io.vgpuhub.web.tenantadmin;

import jakarta.servlet.http.Cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The tenant admin's users page, for each role: tom (admin of Acme Research) manages his tenant's users and nobody
 * else's, cannot lock himself out, and every change is audited; everyone else is refused.
 */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantAdminPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    UserDetailsService userDetails;

    long acme;
    long tomId;
    long strangerId;

    @BeforeAll
    void anotherTenantWithItsOwnAdminAndUser() {
        acme = jdbc.sql("select id from tenant where name = 'Acme Research'").query(Long.class).single();
        tomId = userId("tom");
        jdbc.sql("insert into tenant (name) values ('Globex Labs') on conflict (name) do nothing").update();
        long globex = jdbc.sql("select id from tenant where name = 'Globex Labs'").query(Long.class).single();
        strangerId = addUser(globex, "globex-grace", "Grace of Globex", "TENANT_USER");
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/tenant-admin")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "olivia", "fiona", "leo"})
    void onlyTenantAdminsGetIn(String username) throws Exception {
        var who = user(userDetails.loadUserByUsername(username));
        mvc.perform(get("/tenant-admin").with(who)).andExpect(status().isForbidden());
        mvc.perform(post("/tenant-admin/users").with(who).with(csrf()).param("displayName", "X").param("username", "xx")
                .param("password", "long-enough").param("roles", "TENANT_USER")).andExpect(status().isForbidden());
        mvc.perform(post("/tenant-admin/tokens").with(who).with(csrf()).param("name", "sneaky")).andExpect(status().isForbidden());
    }

    @Test
    @WithUserDetails("tom")
    void theAdminSeesTheirTenantsUsersQuotaAndTokensAndNoOneElses() throws Exception {
        mvc.perform(get("/tenant-admin")).andExpect(status().isOk())
                .andExpect(content().string(containsString("Users and API tokens of Acme Research")))
                .andExpect(content().string(containsString("data-user=\"alice\"")))
                .andExpect(content().string(containsString("data-user=\"tom\"")))
                .andExpect(content().string(not(containsString("globex-grace"))))
                .andExpect(content().string(not(containsString("data-user=\"olivia\""))))
                .andExpect(content().string(containsString("Slices in use:")))
                .andExpect(content().string(containsString("Issue a token")))
                .andExpect(content().string(containsString("You cannot remove your own admin role or disable yourself.")));
    }

    @Test
    @WithUserDetails("tom")
    void thePageSpeaksSimplifiedChinese() throws Exception {
        mvc.perform(get("/tenant-admin").locale(Locale.SIMPLIFIED_CHINESE).header("Accept-Language", "zh-CN"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Acme Research 的用户和 API 令牌")))
                .andExpect(content().string(containsString("签发令牌")));
    }

    @Test
    @WithUserDetails("tom")
    void anAddedUserCanSignInWithTheRolesGivenAndTheAdditionIsAudited() throws Exception {
        mvc.perform(post("/tenant-admin/users").with(csrf()).param("displayName", "  Bob Builder ")
                        .param("username", "Bob.Builder").param("password", "correct horse battery")
                        .param("roles", "TENANT_USER").param("roles", "TENANT_ADMIN"))
                .andExpect(redirectedUrl("/tenant-admin"))
                .andExpect(flash().attribute("notice", "admin.users.added"));
        long bob = userId("bob.builder");
        assertThat(jdbc.sql("select tenant_id from app_user where id = ?").param(bob).query(Long.class).single()).isEqualTo(acme);
        assertThat(jdbc.sql("select display_name from app_user where id = ?").param(bob).query(String.class).single())
                .isEqualTo("Bob Builder");
        assertThat(roles(bob)).containsExactly("TENANT_ADMIN", "TENANT_USER");
        assertThat(jdbc.sql("select password_hash from app_user where id = ?").param(bob).query(String.class).single())
                .doesNotContain("correct horse");
        mvc.perform(formLogin("/login").user("bob.builder").password("correct horse battery")).andExpect(redirectedUrl("/"));
        assertThat(audits("user.add", "user:bob.builder")).isEqualTo(1);
    }

    @Test
    @WithUserDetails("tom")
    void anInvalidNewUserIsExplainedAndNothingIsStored() throws Exception {
        long before = users();
        mvc.perform(post("/tenant-admin/users").with(csrf()).param("displayName", " ").param("username", "-bad name")
                        .param("password", "short").param("_roles", "on"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Give the name of the user.")))
                .andExpect(content().string(containsString("Use 2 to 64 lower-case letters")))
                .andExpect(content().string(containsString("Use 12 to 72 characters.")))
                .andExpect(content().string(containsString("Give the user at least one role.")));
        mvc.perform(post("/tenant-admin/users").with(csrf()).param("displayName", "Sneaky").param("username", "sneaky")
                        .param("password", "long-enough-password").param("roles", "OPERATOR"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Choose roles from the list.")));
        assertThat(users()).isEqualTo(before);
    }

    @Test
    @WithUserDetails("tom")
    void aUserNameTakenInAnyTenantIsRefused() throws Exception {
        long before = users();
        mvc.perform(post("/tenant-admin/users").with(csrf()).param("displayName", "Olivia Two").param("username", "olivia")
                        .param("password", "long-enough-password").param("roles", "TENANT_USER"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("This user name is taken. Choose another.")));
        assertThat(users()).isEqualTo(before);
    }

    @Test
    @WithUserDetails("tom")
    void theAdminChangesAnotherUsersRolesAndTheChangeIsAudited() throws Exception {
        long carol = addUser(acme, "carol-" + suffix(), "Carol", "TENANT_USER");
        mvc.perform(post("/tenant-admin/users/{id}/roles", carol).with(csrf()).param("roles", "TENANT_ADMIN"))
                .andExpect(redirectedUrl("/tenant-admin"))
                .andExpect(flash().attribute("notice", "admin.users.rolesSaved"));
        assertThat(roles(carol)).containsExactly("TENANT_ADMIN");
        assertThat(jdbc.sql("select detail from audit_event where action = 'user.roles' and target = ?")
                .param("user:" + username(carol)).query(String.class).single())
                .isEqualTo("TENANT_USER -> TENANT_ADMIN");
        mvc.perform(post("/tenant-admin/users/{id}/roles", carol).with(csrf()))
                .andExpect(flash().attribute("refusal", "admin.users.roles.none"));
        assertThat(roles(carol)).containsExactly("TENANT_ADMIN");
    }

    @Test
    @WithUserDetails("tom")
    void theAdminCannotDropTheirOwnAdminRoleNorDisableThemselves() throws Exception {
        mvc.perform(post("/tenant-admin/users/{id}/roles", tomId).with(csrf()).param("roles", "TENANT_USER"))
                .andExpect(redirectedUrl("/tenant-admin"))
                .andExpect(flash().attribute("refusal", "admin.users.roles.self"));
        mvc.perform(post("/tenant-admin/users/{id}/disable", tomId).with(csrf()))
                .andExpect(flash().attribute("refusal", "admin.users.disable.self"));
        assertThat(roles(tomId)).containsExactly("TENANT_ADMIN", "TENANT_USER");
        assertThat(enabled(tomId)).isTrue();
        // The flash attribute travels in the session, which Spring Session keeps in PostgreSQL behind the SESSION cookie.
        Cookie session = mvc.perform(post("/tenant-admin/users/{id}/roles", tomId).with(csrf()).param("roles", "TENANT_USER"))
                .andReturn().getResponse().getCookie("SESSION");
        mvc.perform(get("/tenant-admin").cookie(session))
                .andExpect(content().string(containsString("You cannot remove your own admin role. Ask another admin")));
    }

    @Test
    @WithUserDetails("tom")
    void aDisabledUserCannotSignInUntilEnabledAgain() throws Exception {
        String name = "dave-" + suffix();
        long dave = addUser(acme, name, "Dave", "TENANT_USER");
        mvc.perform(post("/tenant-admin/users/{id}/disable", dave).with(csrf()))
                .andExpect(flash().attribute("notice", "admin.users.disabled"));
        assertThat(enabled(dave)).isFalse();
        mvc.perform(formLogin("/login").user(name).password("dave's password")).andExpect(redirectedUrl("/login?error"));
        mvc.perform(post("/tenant-admin/users/{id}/enable", dave).with(csrf()))
                .andExpect(flash().attribute("notice", "admin.users.enabled"));
        mvc.perform(formLogin("/login").user(name).password("dave's password")).andExpect(redirectedUrl("/"));
        assertThat(audits("user.disable", "user:" + name)).isEqualTo(1);
        assertThat(audits("user.enable", "user:" + name)).isEqualTo(1);
    }

    @Test
    @WithUserDetails("tom")
    void anotherTenantsUserIsNotFoundAndUnchanged() throws Exception {
        mvc.perform(post("/tenant-admin/users/{id}/roles", strangerId).with(csrf()).param("roles", "TENANT_ADMIN"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("not yours to see")));
        mvc.perform(post("/tenant-admin/users/{id}/disable", strangerId).with(csrf())).andExpect(status().isNotFound());
        assertThat(roles(strangerId)).containsExactly("TENANT_USER");
        assertThat(enabled(strangerId)).isTrue();
        mvc.perform(post("/tenant-admin/users/not-a-number/disable").with(csrf())).andExpect(status().isBadRequest());
    }

    @Test
    @WithUserDetails("tom")
    void aFormWithoutCsrfTokenIsRejected() throws Exception {
        mvc.perform(post("/tenant-admin/users/{id}/disable", userId("alice"))).andExpect(status().isForbidden());
        assertThat(enabled(userId("alice"))).isTrue();
    }

    @Test
    void anAdminWhoLosesTheRoleIsRefusedAtOnceNotAtTheirNextSignIn() throws Exception {
        long ed = addUser(acme, "ed-" + suffix(), "Ed", "TENANT_ADMIN");
        var signedIn = user(userDetails.loadUserByUsername(username(ed)));
        mvc.perform(get("/tenant-admin").with(signedIn)).andExpect(status().isOk());
        jdbc.sql("delete from user_role where user_id = ? and role = 'TENANT_ADMIN'").param(ed).update();
        mvc.perform(get("/tenant-admin").with(signedIn)).andExpect(status().isForbidden());
    }

    private long addUser(long tenantId, String username, String displayName, String role) {
        long id = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, ?, ?)
                on conflict (username) do update set display_name = excluded.display_name returning id
                """).params(tenantId, username, displayName, passwords.encode(displayName.toLowerCase() + "'s password"))
                .query(Long.class).single();
        jdbc.sql("insert into user_role (user_id, role) values (?, ?) on conflict do nothing").params(id, role).update();
        return id;
    }

    private long userId(String username) {
        return jdbc.sql("select id from app_user where username = ?").param(username).query(Long.class).single();
    }

    private String username(long id) {
        return jdbc.sql("select username from app_user where id = ?").param(id).query(String.class).single();
    }

    private List<String> roles(long userId) {
        return jdbc.sql("select role from user_role where user_id = ? order by role").param(userId).query(String.class).list();
    }

    private boolean enabled(long userId) {
        return jdbc.sql("select enabled from app_user where id = ?").param(userId).query(Boolean.class).single();
    }

    private long users() {
        return jdbc.sql("select count(*) from app_user").query(Long.class).single();
    }

    private long audits(String action, String target) {
        return jdbc.sql("""
                select count(*) from audit_event where action = ? and target = ? and actor = 'user:tom' and tenant_id = ?
                """).params(action, target, acme).query(Long.class).single();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
