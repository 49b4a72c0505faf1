package io.vgpuhub.web.security;

import static io.vgpuhub.web.security.Who.ALICE;
import static io.vgpuhub.web.security.Who.ANONYMOUS;
import static io.vgpuhub.web.security.Who.API_TOKEN;
import static io.vgpuhub.web.security.Who.FIONA;
import static io.vgpuhub.web.security.Who.GARY;
import static io.vgpuhub.web.security.Who.HOST_AGENT;
import static io.vgpuhub.web.security.Who.LEO;
import static io.vgpuhub.web.security.Who.OLIVIA;
import static io.vgpuhub.web.security.Who.OTHER_HOST_AGENT;
import static io.vgpuhub.web.security.Who.TOM;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may pass security on which URL: the test's own reading of {@link SecurityConfiguration}, written out per person
 * rather than per role so that a change to either one shows up as a failing cell. The first rule that matches wins, as
 * in the filter chains. There is deliberately no catch-all: a mapping outside every rule fails the matrix until
 * someone decides who may use it.
 *
 * <p>A pattern ending in {@code /**} covers the path itself and everything below it; any other pattern is exact. A rule
 * covers every method.
 */
final class AccessPolicy {

    static final Set<Who> NOBODY = EnumSet.noneOf(Who.class);
    static final Set<Who> EVERYONE = EnumSet.allOf(Who.class);
    static final Set<Who> PEOPLE = EnumSet.of(ALICE, TOM, GARY, FIONA, LEO, OLIVIA);
    static final Set<Who> TENANT_MEMBERS = EnumSet.of(ALICE, TOM, GARY);
    static final Set<Who> HOST_AGENTS = EnumSet.of(HOST_AGENT, OTHER_HOST_AGENT);

    static final List<Rule> RULES = List.of(
            // Chain 1: host agents, by host token.
            rule("/api/agent/**", HOST_AGENTS),
            // Chain 2: a tenant's programs, by API token.
            rule("/api/v1/**", EnumSet.of(API_TOKEN)),
            // Chain 3: the actuator. Health for anyone (details only for operators), metrics for operators, no more.
            rule("/actuator/health/**", EVERYONE),
            rule("/actuator/prometheus", EnumSet.of(OLIVIA)),
            rule("/actuator/**", NOBODY),
            // Chain 4: people.
            rule("/login", EVERYONE),
            rule("/css/**", EVERYONE),
            rule("/error", EVERYONE),
            rule("/favicon.ico", EVERYONE),
            rule("/v3/api-docs/**", EVERYONE),
            rule("/v3/api-docs.yaml", EVERYONE),
            rule("/swagger-ui.html", EVERYONE),
            rule("/swagger-ui/**", EVERYONE),
            rule("/slices/**", TENANT_MEMBERS),
            rule("/catalog/**", TENANT_MEMBERS),
            rule("/tenant-admin/**", EnumSet.of(TOM)),
            rule("/operator/**", EnumSet.of(OLIVIA)),
            rule("/licenses/**", EnumSet.of(LEO)),
            rule("/finance/**", EnumSet.of(FIONA)),
            rule("/billing/**", TENANT_MEMBERS),
            rule("/", PEOPLE),
            // Through "anyRequest().authenticated()": the pages' scripts, loaded only once signed in.
            rule("/js/**", PEOPLE),
            rule("/webjars/**", PEOPLE));

    private AccessPolicy() {
    }

    record Rule(String pattern, Set<Who> allowed) {

        boolean covers(Endpoint endpoint) {
            if (pattern.endsWith("/**")) {
                String prefix = pattern.substring(0, pattern.length() - 3);
                return endpoint.pattern().equals(prefix) || endpoint.pattern().startsWith(prefix + "/");
            }
            return endpoint.pattern().equals(pattern);
        }

        @Override
        public String toString() {
            return pattern + " -> " + (allowed.isEmpty() ? "nobody" : allowed);
        }
    }

    static Optional<Rule> ruleFor(Endpoint endpoint) {
        return RULES.stream().filter(rule -> rule.covers(endpoint)).findFirst();
    }

    private static Rule rule(String pattern, Set<Who> allowed) {
        return new Rule(pattern, allowed);
    }
}
