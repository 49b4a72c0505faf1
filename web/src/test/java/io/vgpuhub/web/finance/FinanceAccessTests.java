package io.vgpuhub.web.finance;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;

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

/** Finance's pages are finance's alone; the billing pages are for tenant members alone. */
@FinancePageTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinanceAccessTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserDetailsService users;

    FinanceFixtures fixtures;

    @BeforeAll
    void february() {
        fixtures = new FinanceFixtures(jdbc);
        fixtures.february();
    }

    Stream<String> financePages() {
        long acme = fixtures.acme();
        return Stream.of("/finance", "/finance/months/2024-02", "/finance/months/2024-02/tenants/" + acme,
                "/finance/months/2024-02/tenants/" + acme + "/slices/" + fixtures.slice("fin-cad-1"));
    }

    Stream<String> billingPages() {
        return Stream.of("/billing", "/billing/2024-02");
    }

    Stream<Arguments> financePagesForEveryoneElse() {
        return financePages().flatMap(page -> Stream.of("alice", "tom", "olivia", "leo").map(who -> Arguments.of(who, page)));
    }

    Stream<Arguments> billingPagesForEveryoneElse() {
        return billingPages().flatMap(page -> Stream.of("fiona", "olivia", "leo").map(who -> Arguments.of(who, page)));
    }

    Stream<Arguments> billingPagesForTenantMembers() {
        return billingPages().flatMap(page -> Stream.of("alice", "tom").map(who -> Arguments.of(who, page)));
    }

    @ParameterizedTest(name = "fiona sees {0}")
    @MethodSource("financePages")
    void financeSeesEveryFinancePage(String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername("fiona")))).andExpect(status().isOk());
    }

    @ParameterizedTest(name = "{0} is refused {1}")
    @MethodSource("financePagesForEveryoneElse")
    void everyOtherRoleIsRefusedTheFinancePages(String who, String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());
    }

    @ParameterizedTest(name = "{0} sees {1}")
    @MethodSource("billingPagesForTenantMembers")
    void tenantMembersSeeTheirBilling(String who, String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername(who)))).andExpect(status().isOk());
    }

    @ParameterizedTest(name = "{0} is refused {1}")
    @MethodSource("billingPagesForEveryoneElse")
    void staffWithoutATenantIsRefusedTheBillingPages(String who, String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());
    }

    @ParameterizedTest(name = "anonymous is sent to log in from {0}")
    @MethodSource({ "financePages", "billingPages" })
    void anonymousVisitorsAreSentToLogIn(String page) throws Exception {
        mvc.perform(get(page)).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
    }
}
