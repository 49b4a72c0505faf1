package io.vgpuhub.web.finance.close;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.YearMonth;
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

/** Only finance sees the close and adjustment pages or acts on them; every other role is refused and nothing changes. */
@FinanceClosePageTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinanceCloseAccessTests {

    static final YearMonth MONTH = YearMonth.of(2002, 11);

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserDetailsService users;

    CloseFixtures fixtures;

    long tenant;

    @BeforeAll
    void aTenant() {
        fixtures = new CloseFixtures(jdbc);
        tenant = fixtures.tenant("Access");
    }

    Stream<Arguments> everyoneButFinance() {
        return Stream.of("alice", "tom", "olivia", "leo").flatMap(who -> Stream.of(
                Arguments.of(who, get("/finance/months/2002-11/close")),
                Arguments.of(who, get("/finance/months/2002-11/adjustments")),
                Arguments.of(who, post("/finance/months/2002-11/close")),
                Arguments.of(who, post("/finance/months/2002-11/adjustments").param("tenantId", String.valueOf(tenant))
                        .param("amount", "5").param("reason", "Not allowed"))));
    }

    @ParameterizedTest(name = "{0} is refused {1}")
    @MethodSource("everyoneButFinance")
    void everyOtherRoleIsRefusedAndNothingChanges(String who, MockHttpServletRequestBuilder request) throws Exception {
        mvc.perform(request.with(csrf()).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());

        assertThat(fixtures.closed(MONTH)).isFalse();
        assertThat(fixtures.adjustments(MONTH)).isZero();
    }

    @ParameterizedTest(name = "fiona sees {0}")
    @MethodSource("financePages")
    void financeSeesThePages(String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername("fiona")))).andExpect(status().isOk());
    }

    Stream<String> financePages() {
        return Stream.of("/finance/months/2002-11/close", "/finance/months/2002-11/adjustments");
    }
}
