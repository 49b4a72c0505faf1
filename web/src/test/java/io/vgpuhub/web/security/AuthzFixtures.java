package io.vgpuhub.web.security;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.Cookie;

import io.vgpuhub.web.agentapi.AgentApiFixtures;
import io.vgpuhub.web.apitoken.ApiTokens;
import io.vgpuhub.web.apitoken.IssuedApiToken;
import io.vgpuhub.web.finance.FinanceFixtures;
import io.vgpuhub.web.slice.Requester;

import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The people, agents and programs of the authorization tests with real credentials: a portal session (kept in
 * PostgreSQL by Spring Session, so carried as its cookie), the demo host's token, a second host's token and API tokens.
 * Also the data their URLs point at: the finance month of {@link FinanceFixtures} (which brings the second tenant,
 * Globex, and its user gary) and a live slice of Acme's on the second host.
 */
final class AuthzFixtures {

    static final String MONTH = FinanceFixtures.MONTH;
    /** Written by requests that change things: nothing of it exists, so an allowed request changes nothing. */
    static final String FUTURE_MONTH = "2999-01";
    static final String NO_SUCH_ID = "987654321";

    private final MockMvc mvc;
    private final JdbcClient jdbc;
    private final Map<Who, Cookie> sessions = new EnumMap<>(Who.class);
    private final String hostToken;
    private final AgentApiFixtures.Host otherHost;

    final FinanceFixtures finance;
    final long acme;
    final long globex;
    final IssuedApiToken acmeToken;
    final UUID acmeSlice;
    final String acmeVm;

    AuthzFixtures(MockMvc mvc, JdbcClient jdbc, ApiTokens tokens, AgentApiFixtures agents, String hostToken) throws Exception {
        this.mvc = mvc;
        this.jdbc = jdbc;
        this.hostToken = hostToken;
        finance = new FinanceFixtures(jdbc);
        finance.february();
        acme = finance.acme();
        globex = finance.globex();
        acmeToken = tokens.issue(acme, userId("tom"), "user:tom", "authz-" + System.nanoTime(), null);
        otherHost = agents.host();
        long gpu = agents.gpu(otherHost, "0000:41:00.0", "A40", "VGPU", 2);
        acmeSlice = agents.vgpuSlice(new Requester(acme, userId("alice"), "user:alice"), gpu, "A40-8Q", "READY");
        acmeVm = jdbc.sql("select vm_name from slice where uuid = ?").param(acmeSlice).query(String.class).single();
        for (Who who : Who.values()) {
            if (who.credential == Who.Credential.SESSION) {
                sessions.put(who, signIn(who.username()));
            }
        }
    }

    /** The request as {@code who} would send it. */
    MockHttpServletRequestBuilder as(Who who, MockHttpServletRequestBuilder request) {
        return switch (who) {
            case ANONYMOUS -> request;
            case HOST_AGENT -> bearer(request, hostToken);
            case OTHER_HOST_AGENT -> bearer(request, otherHost.token());
            case API_TOKEN -> bearer(request, acmeToken.secret());
            default -> request.cookie(sessions.get(who));
        };
    }

    static MockHttpServletRequestBuilder bearer(MockHttpServletRequestBuilder request, String token) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    long userId(String username) {
        return jdbc.sql("select id from app_user where username = ?").param(username).query(Long.class).single();
    }

    /**
     * The value of a URL variable. Reads get real rows of the fixtures where there is one (so a page renders and
     * its own checks run); requests that change things get ids of nothing and a month that has not happened, so an
     * allowed one answers 404 or a refusal and the shared data stays as it is.
     */
    String value(Endpoint endpoint, String name, Class<?> type) {
        if (type == java.time.YearMonth.class || name.equals("month")) {
            return endpoint.mutates() ? FUTURE_MONTH : MONTH;
        }
        boolean uuid = type == UUID.class;
        if (endpoint.mutates()) {
            return uuid ? UUID.randomUUID().toString() : NO_SUCH_ID;
        }
        String pattern = endpoint.pattern();
        return switch (name) {
            case "sliceId" -> uuid ? acmeSlice.toString() : String.valueOf(finance.slice("fin-cad-1"));
            case "tenantId" -> String.valueOf(acme);
            case "hostId" -> String.valueOf(one("select min(id) from host"));
            case "gpuId" -> String.valueOf(one("select min(id) from gpu"));
            case "offeringId" -> String.valueOf(one("select min(id) from offering"));
            case "tokenId" -> String.valueOf(acmeToken.token().id());
            case "userId" -> String.valueOf(userId("alice"));
            case "path" -> "liveness";
            case "id" -> pattern.startsWith("/finance/rate-cards/") ? String.valueOf(one("select min(id) from rate_card"))
                    : pattern.startsWith("/licenses/entitlements/") ? String.valueOf(one("select min(id) from license_entitlement"))
                    : NO_SUCH_ID;
            default -> uuid ? UUID.randomUUID().toString() : NO_SUCH_ID;
        };
    }

    private long one(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    Cookie signIn(String username) throws Exception {
        return SignIns.session(mvc, username);
    }
}
