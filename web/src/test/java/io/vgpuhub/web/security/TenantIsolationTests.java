package io.vgpuhub.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.stream.Stream;

import jakarta.servlet.http.Cookie;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A tenant's URLs that name one of its things by id, used by the other tenant: every mapping with a path variable
 * under /slices, /api/v1/slices and /tenant-admin, read from the running application. Globex's user (gary), admin
 * (gina) and API token get Acme's slice, token and user ids; each is answered 404 or 403, shows nothing of Acme's and
 * changes nothing. Acme's own people read the same URLs, so the 404 is the tenant's wall and not a wrong id.
 */
@AuthzTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTests extends AuthzTestSupport {

    private static final List<String> TENANT_PREFIXES = List.of("/slices/", "/api/v1/slices/", "/tenant-admin/");

    AuthzFixtures acme;
    Cookie gary;
    Cookie gina;
    String globexToken;
    List<Endpoint> endpoints;

    @BeforeAll
    void twoTenants() throws Exception {
        acme = new AuthzFixtures(mvc, jdbc, tokens, agents, hostToken);
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                select ?, 'gina', 'Gina Globex', password_hash from app_user where username = 'alice'
                on conflict (username) do nothing
                """).param(acme.globex).update();
        jdbc.sql("""
                insert into user_role (user_id, role) select id, r.role from app_user, (values ('TENANT_USER'), ('TENANT_ADMIN')) r(role)
                where username = 'gina' on conflict do nothing
                """).update();
        gary = acme.signIn("gary");
        gina = acme.signIn("gina");
        globexToken = tokens.issue(acme.globex, acme.userId("gary"), "user:gary", "globex-" + System.nanoTime(), null).secret();
        endpoints = Endpoint.all(context).stream()
                .filter(endpoint -> endpoint.hasVariables() && TENANT_PREFIXES.stream().anyMatch(endpoint.pattern()::startsWith))
                .toList();
    }

    @Test
    void theTenantsUrlsWithIdsAreFound() {
        assertThat(endpoints).extracting(Endpoint::toString)
                .contains("POST /slices/{sliceId}/release", "DELETE /api/v1/slices/{sliceId}",
                        "POST /tenant-admin/tokens/{tokenId}/revoke", "POST /tenant-admin/users/{userId}/disable");
    }

    @TestFactory
    Stream<DynamicTest> theOtherTenantGetsNothingOfAcmes() {
        return endpoints.stream().map(endpoint -> dynamicTest(endpoint + " with Acme's id as " + intruder(endpoint) + " -> 404/403",
                () -> {
                    String before = everythingATenantOwns();
                    MockHttpServletResponse response = mvc.perform(asIntruder(endpoint, build(endpoint))).andReturn().getResponse();
                    assertThat(response.getStatus()).as("%s as %s", endpoint, intruder(endpoint)).isIn(403, 404);
                    assertThat(response.getContentAsString()).doesNotContain(acme.acmeVm, acme.acmeToken.token().name());
                    assertThat(everythingATenantOwns()).as("what %s changed", endpoint).isEqualTo(before);
                }));
    }

    @TestFactory
    Stream<DynamicTest> acmeReadsTheSameUrls() {
        return endpoints.stream().filter(endpoint -> !endpoint.mutates())
                .map(endpoint -> dynamicTest(endpoint + " with Acme's id as Acme -> 200", () -> {
                    MockHttpServletRequestBuilder request = build(endpoint);
                    if (endpoint.pattern().startsWith("/api/")) {
                        AuthzFixtures.bearer(request, acme.acmeToken.secret());
                    }
                    else {
                        acme.as(endpoint.pattern().startsWith("/tenant-admin/") ? Who.TOM : Who.ALICE, request);
                    }
                    assertThat(mvc.perform(request).andReturn().getResponse().getStatus()).as("%s", endpoint).isEqualTo(200);
                }));
    }

    /** The request with Acme's real ids, also for the requests that would change something: that is the point. */
    private MockHttpServletRequestBuilder build(Endpoint endpoint) {
        MockHttpServletRequestBuilder request = endpoint.request(endpoint.expand((e, name, type) -> switch (name) {
            case "sliceId" -> acme.acmeSlice.toString();
            case "tokenId" -> String.valueOf(acme.acmeToken.token().id());
            case "userId" -> String.valueOf(acme.userId("alice"));
            default -> throw new AssertionError(e + ": which of Acme's things is {" + name + "}? Add it to TenantIsolationTests");
        }), "{}");
        if (endpoint.mutates() && !endpoint.pattern().startsWith("/api/") && endpoint.pattern().endsWith("/roles")) {
            request.param("roles", "TENANT_ADMIN");
        }
        return request;
    }

    private String intruder(Endpoint endpoint) {
        return endpoint.pattern().startsWith("/api/") ? "a Globex API token"
                : endpoint.pattern().startsWith("/tenant-admin/") ? "gina (Globex admin)" : "gary (Globex)";
    }

    private MockHttpServletRequestBuilder asIntruder(Endpoint endpoint, MockHttpServletRequestBuilder request) {
        if (endpoint.pattern().startsWith("/api/")) {
            return AuthzFixtures.bearer(request, globexToken);
        }
        return request.cookie(endpoint.pattern().startsWith("/tenant-admin/") ? gina : gary);
    }

    /** Slices' states, tokens' revocations, users' enabled flags and roles, and the audit trail's length. */
    private String everythingATenantOwns() {
        return jdbc.sql("""
                select coalesce((select string_agg(id || ':' || state, ',' order by id) from slice), '')
                    || '|' || coalesce((select string_agg(id || ':' || coalesce(revoked_at::text, '-'), ',' order by id) from api_token), '')
                    || '|' || coalesce((select string_agg(id || ':' || enabled, ',' order by id) from app_user), '')
                    || '|' || coalesce((select string_agg(user_id || ':' || role, ',' order by user_id, role) from user_role), '')
                    || '|' || (select count(*) from audit_event)
                """).query(String.class).single();
    }
}
