package io.vgpuhub.web.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Each license page and action for each role: the license administrator sees and acts, everyone else is refused. */
@LicensesPageTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LicensesAccessTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserDetailsService users;

    LicenseFixtures fixtures;
    long entitlement;

    @BeforeAll
    void anEntitlement() {
        fixtures = new LicenseFixtures(jdbc);
        entitlement = fixtures.entitlement("VWS", 10, Instant.parse("2025-01-01T00:00:00Z"), null, "PO-ACCESS");
    }

    Stream<String> pages() {
        return Stream.of("/licenses", "/licenses/entitlements", "/licenses/entitlements/new",
                "/licenses/entitlements/" + entitlement, "/licenses/holders", "/licenses/policies", "/licenses/report",
                "/licenses/report?from=2025-01-01&to=2025-01-31", "/licenses/report.csv?from=2025-01-01&to=2025-01-31");
    }

    Stream<Arguments> pagesForEveryoneButTheLicenseAdministrator() {
        return pages().flatMap(page -> Stream.of("alice", "tom", "olivia", "fiona").map(who -> Arguments.of(who, page)));
    }

    @ParameterizedTest(name = "leo sees {0}")
    @MethodSource("pages")
    void theLicenseAdministratorSeesEveryPage(String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername("leo")))).andExpect(status().isOk());
    }

    @ParameterizedTest(name = "{0} is refused {1}")
    @MethodSource("pagesForEveryoneButTheLicenseAdministrator")
    void everyOtherRoleIsRefused(String who, String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());
    }

    @ParameterizedTest(name = "anonymous is sent to log in from {0}")
    @MethodSource("pages")
    void anonymousVisitorsAreSentToLogIn(String page) throws Exception {
        mvc.perform(get(page)).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
    }

    Stream<Arguments> actionsForEveryoneButTheLicenseAdministrator() {
        return Stream.of("alice", "tom", "olivia", "fiona").flatMap(who -> Stream.of(
                Arguments.of(who, "record an entitlement", post("/licenses/entitlements").param("edition", "VWS")
                        .param("seats", "5").param("validFrom", "2025-01-01").param("orderReference", "PO-X")),
                Arguments.of(who, "edit an entitlement", post("/licenses/entitlements/{id}", entitlement)
                        .param("edition", "VWS").param("seats", "99").param("validFrom", "2025-01-01")
                        .param("orderReference", "PO-ACCESS")),
                Arguments.of(who, "expire an entitlement", post("/licenses/entitlements/{id}/expire", entitlement)),
                Arguments.of(who, "set an admission policy", post("/licenses/policies/admission").param("edition", "VWS")
                        .param("policy", "ALLOW_UNLICENSED")),
                Arguments.of(who, "set the passthrough edition", post("/licenses/policies/passthrough").param("edition", "VWS"))));
    }

    @ParameterizedTest(name = "{0} may not {1}")
    @MethodSource("actionsForEveryoneButTheLicenseAdministrator")
    void everyOtherRoleIsRefusedEveryActionAndNothingChanges(String who, String action, MockHttpServletRequestBuilder request)
            throws Exception {
        long entitlements = fixtures.entitlements();
        long audits = fixtures.allAudits();
        mvc.perform(request.with(csrf()).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());
        assertThat(fixtures.entitlements()).isEqualTo(entitlements);
        assertThat(jdbc.sql("select seats from license_entitlement where id = ?").param(entitlement).query(Integer.class)
                .single()).isEqualTo(10);
        assertThat(jdbc.sql("select valid_until is null from license_entitlement where id = ?").param(entitlement)
                .query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql("select admission_policy from license_edition where code = 'VWS'").query(String.class).single())
                .isEqualTo("REFUSE");
        assertThat(jdbc.sql("select count(*) from offering where kind = 'PASSTHROUGH' and license_edition <> 'VCS'")
                .query(Long.class).single()).isZero();
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }
}
