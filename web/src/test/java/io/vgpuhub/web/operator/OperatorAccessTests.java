package io.vgpuhub.web.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
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

/** Each operator page and action for each role: the operator sees and acts, everyone else is refused. */
@OperatorPageTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorAccessTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserDetailsService users;

    OperatorFixtures fixtures;
    long host;
    long gpu;
    long offering;
    long tenant;

    @BeforeAll
    void aHostWithAGpu() {
        fixtures = new OperatorFixtures(jdbc);
        host = fixtures.host(OperatorFixtures.unique("guarded"), "ONLINE", Duration.ofSeconds(1), null);
        gpu = fixtures.gpu(host, "A100-80GB", "PASSTHROUGH", true, 0);
        offering = fixtures.offering("A100-80GB 3g.40gb");
        tenant = fixtures.acme();
    }

    Stream<String> pages() {
        return Stream.of("/operator/hosts", "/operator/hosts/" + host, "/operator/gpus", "/operator/gpus?host=" + host, "/operator/offerings",
                "/operator/offerings/" + offering, "/operator/tenants", "/operator/tenants/" + tenant,
                "/operator/audit", "/operator/audit?kind=host");
    }

    Stream<Arguments> pagesForEveryoneButTheOperator() {
        return pages().flatMap(page -> Stream.of("alice", "tom", "fiona", "leo").map(who -> Arguments.of(who, page)));
    }

    @ParameterizedTest(name = "olivia sees {0}")
    @MethodSource("pages")
    void theOperatorSeesEveryPage(String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername("olivia")))).andExpect(status().isOk());
    }

    @ParameterizedTest(name = "{0} is refused {1}")
    @MethodSource("pagesForEveryoneButTheOperator")
    void everyOtherRoleIsRefused(String who, String page) throws Exception {
        mvc.perform(get(page).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());
    }

    @ParameterizedTest(name = "anonymous is sent to log in from {0}")
    @MethodSource("pages")
    void anonymousVisitorsAreSentToLogIn(String page) throws Exception {
        mvc.perform(get(page)).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
    }

    Stream<Arguments> actionsForEveryoneButTheOperator() {
        return Stream.of("alice", "tom", "fiona", "leo").flatMap(who -> Stream.of(
                Arguments.of(who, "drain", post("/operator/hosts/{id}/drain", host)),
                Arguments.of(who, "set GPU mode", post("/operator/gpus/{id}/mode", gpu).param("mode", "MIG")),
                Arguments.of(who, "disable an offering", post("/operator/offerings/{id}/disable", offering)),
                Arguments.of(who, "price an offering", post("/operator/offerings/{id}", offering).param("pricePerHour", "0")),
                Arguments.of(who, "set quotas", post("/operator/tenants/{id}", tenant).param("maxSlices", "0"))));
    }

    @ParameterizedTest(name = "{0} may not {1}")
    @MethodSource("actionsForEveryoneButTheOperator")
    void everyOtherRoleIsRefusedEveryActionAndNothingChanges(String who, String action, MockHttpServletRequestBuilder request)
            throws Exception {
        long audits = fixtures.allAudits();
        mvc.perform(request.with(csrf()).with(user(users.loadUserByUsername(who)))).andExpect(status().isForbidden());
        assertThat(fixtures.hostState(host)).isEqualTo("ONLINE");
        assertThat(fixtures.gpuMode(gpu)).isEqualTo("PASSTHROUGH");
        assertThat(jdbc.sql("select enabled from offering where id = ?").param(offering).query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql("select quota_max_slices from tenant where id = ?").param(tenant).query(Integer.class).optional())
                .isEmpty();
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }
}
