package io.vgpuhub.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Every URL the application maps, for everyone who can knock, against {@link AccessPolicy}. The URLs come from the
 * running application's request mappings, so a new endpoint shows up here by itself and fails until the policy says
 * who may use it. A cell is ALLOWED when security lets the request through to the handler, whatever the handler then
 * answers (a page, a 404 for an id of nothing, a 400 for a missing field); DENIED is 401, 403 or a redirect to the
 * login page.
 */
@AuthzTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTests extends AuthzTestSupport {

    AuthzFixtures fixtures;
    List<Endpoint> endpoints;

    @BeforeAll
    void everyoneSignedInAndEveryEndpointListed() throws Exception {
        fixtures = new AuthzFixtures(mvc, jdbc, tokens, agents, hostToken);
        endpoints = Endpoint.all(context);
    }

    @Test
    void everyMappedEndpointIsInThePolicy() {
        List<Endpoint> uncovered = endpoints.stream().filter(endpoint -> AccessPolicy.ruleFor(endpoint).isEmpty()).toList();
        assertThat(uncovered)
                .as("these mappings are in no rule of AccessPolicy; decide who may use them (in SecurityConfiguration) "
                        + "and add a rule:%n%s", uncovered.stream().map(Endpoint::toString).collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    void everyRuleOfThePolicyStillMatchesAMapping() {
        List<AccessPolicy.Rule> stale = AccessPolicy.RULES.stream()
                .filter(rule -> endpoints.stream().noneMatch(rule::covers)).toList();
        assertThat(stale).as("rules of AccessPolicy that no mapping uses any more").isEmpty();
    }

    @Test
    void theMappingsReadAreTheWholeApplication() {
        // Guards the enumeration itself: an empty or partial list would make the matrix pass by testing nothing.
        assertThat(endpoints).extracting(Endpoint::toString)
                .contains("GET /", "POST /slices/{sliceId}/release", "DELETE /api/v1/slices/{sliceId}",
                        "PUT /api/agent/v1/inventory", "GET /actuator/prometheus", "GET /actuator/health",
                        "POST /finance/months/{month}/close", "GET /v3/api-docs");
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointForEveryone() {
        return endpoints.stream().flatMap(endpoint -> Arrays.stream(Who.values()).map(who -> {
            AccessPolicy.Rule rule = AccessPolicy.ruleFor(endpoint).orElse(null);
            boolean expected = rule != null && rule.allowed().contains(who);
            return dynamicTest(endpoint + " as " + who + " -> " + verdict(expected), () -> {
                assertThat(rule).as("%s is in no rule of AccessPolicy", endpoint).isNotNull();
                MockHttpServletResponse response = mvc.perform(requestOf(endpoint, who)).andReturn().getResponse();
                assertThat(verdict(allowed(response)))
                        .as("%s as %s (rule %s) answered %d%s", endpoint, who, rule, response.getStatus(),
                                response.getRedirectedUrl() == null ? "" : " -> " + response.getRedirectedUrl())
                        .isEqualTo(verdict(expected));
            });
        }));
    }

    private MockHttpServletRequestBuilder requestOf(Endpoint endpoint, Who who) {
        // A body that is not JSON, so that an API call that gets through stops at the body and changes nothing.
        return fixtures.as(who, endpoint.request(endpoint.expand(fixtures::value), "{"));
    }

    static boolean allowed(MockHttpServletResponse response) {
        int status = response.getStatus();
        if (status == 401 || status == 403) {
            return false;
        }
        String redirect = response.getRedirectedUrl();
        return !(status / 100 == 3 && redirect != null && redirect.replaceFirst("^https?://[^/]+", "").startsWith("/login"));
    }

    private static String verdict(boolean allowed) {
        return allowed ? "ALLOWED" : "DENIED";
    }
}
