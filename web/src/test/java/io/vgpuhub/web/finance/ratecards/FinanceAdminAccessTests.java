package io.vgpuhub.web.finance.ratecards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Rate card and cost centre pages and actions for each role: finance sees and acts, everyone else is refused. */
@SpringBootTest(properties = "vgpuhub.test.database=finance-admin-pages")
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinanceAdminAccessTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserDetailsService users;

    long card;
    long tenant;
    long subCostCentre;

    @BeforeAll
    void aFutureCardAndASubCostCentre() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusYears(3).withDayOfMonth(1);
        card = jdbc.sql("""
                insert into rate_card (effective_from, currency, name) values (?, 'USD', 'Access')
                on conflict (effective_from) do update set name = 'Access' returning id""").param(day)
                .query(Long.class).single();
        tenant = jdbc.sql("select id from tenant order by id limit 1").query(Long.class).single();
        subCostCentre = jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                select tenant_id, id, 'CC-ACCESS', 'Access' from cost_centre where tenant_id = ? and parent_id is null
                on conflict (tenant_id, code) do update set name = 'Access' returning id""").param(tenant)
                .query(Long.class).single();
    }

    Stream<String> pages() {
        return Stream.of("/finance/rate-cards", "/finance/rate-cards/new", "/finance/rate-cards/" + card,
                "/finance/rate-cards/" + card + "/preview", "/finance/cost-centres", "/finance/cost-centres/" + tenant);
    }

    Stream<Arguments> pagesForEveryoneButFinance() {
        return pages().flatMap(page -> Stream.of("alice", "tom", "olivia", "leo").map(who -> Arguments.of(who, page)));
    }

    @ParameterizedTest(name = "fiona sees {0}")
    @MethodSource("pages")
    void financeSeesEveryPage(String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername("fiona")))).andExpect(status().isOk());
    }

    @ParameterizedTest(name = "{0} is refused {1}")
    @MethodSource("pagesForEveryoneButFinance")
    void everyOtherRoleIsRefused(String who, String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());
    }

    @ParameterizedTest(name = "anonymous is sent to log in from {0}")
    @MethodSource("pages")
    void anonymousVisitorsAreSentToLogIn(String page) throws Exception {
        mvc.perform(get(page)).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
    }

    Stream<Arguments> actionsForEveryoneButFinance() {
        return Stream.of("alice", "tom", "olivia", "leo").flatMap(who -> Stream.of(
                Arguments.of(who, "make a rate card", post("/finance/rate-cards").param("effectiveFrom", "2999-01-01")
                        .param("currency", "USD").param("name", "Sneaky")),
                Arguments.of(who, "delete a rate card", post("/finance/rate-cards/{id}/delete", card)),
                Arguments.of(who, "add a cost centre", post("/finance/cost-centres/{t}", tenant).param("code", "CC-SNEAKY")
                        .param("name", "Sneaky")),
                Arguments.of(who, "rename a cost centre", post("/finance/cost-centres/{t}/{id}", tenant, subCostCentre)
                        .param("code", "CC-ACCESS").param("name", "Renamed")),
                Arguments.of(who, "delete a cost centre", post("/finance/cost-centres/{t}/{id}/delete", tenant,
                        subCostCentre))));
    }

    @ParameterizedTest(name = "{0} may not {1}")
    @MethodSource("actionsForEveryoneButFinance")
    void everyOtherRoleIsRefusedEveryActionAndNothingChanges(String who, String action, MockHttpServletRequestBuilder request)
            throws Exception {
        String before = state();
        mvc.perform(request.with(csrf()).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());
        assertThat(state()).isEqualTo(before);
    }

    /** Rate cards, cost centres and audit rows as they stand. */
    private String state() {
        return jdbc.sql("""
                select (select string_agg(id || ':' || name, ',' order by id) from rate_card) || '|'
                    || (select string_agg(id || ':' || code || ':' || name, ',' order by id) from cost_centre) || '|'
                    || (select count(*) from audit_event)""").query(String.class).single();
    }
}
