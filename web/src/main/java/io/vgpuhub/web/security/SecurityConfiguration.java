package io.vgpuhub.web.security;

import io.vgpuhub.web.agentapi.HostTokenAuthenticationFilter;
import io.vgpuhub.web.agentapi.HostTokens;
import io.vgpuhub.web.apitoken.ApiProblemResponses;
import io.vgpuhub.web.apitoken.ApiTokenAuthenticationFilter;
import io.vgpuhub.web.apitoken.ApiTokens;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * One filter chain per audience: host agents (bearer host tokens, no session), programs of a tenant (bearer API tokens,
 * no session, problem-detail errors), monitoring (the actuator: health for anyone, metrics for operators signed in or
 * scraping with HTTP Basic) and people (form login, CSRF).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /**
     * The portal's pages load scripts, styles and images from this server only, and carry no inline script, event
     * handler attribute nor style attribute (TemplateCspTests scans every template for them). The finance charts read
     * their figures from a {@code <script type="application/json">} island, which is data and not blocked. htmx would
     * insert its indicator styles as an inline {@code <style>}: the layout turns that off (meta htmx-config) and
     * hub.css carries those rules.
     */
    static final String PORTAL_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /**
     * Swagger UI is third-party markup that sets style attributes of its own; its pages get inline styles, nothing
     * more (scripts stay 'self' only, and it loads its bundle from this server).
     */
    static final String SWAGGER_UI_CSP = PORTAL_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    @Bean
    @Order(1)
    SecurityFilterChain agentApi(HttpSecurity http, HostTokens hostTokens) throws Exception {
        return http
                .securityMatcher("/api/agent/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole("HOST_AGENT"))
                .addFilterBefore(new HostTokenAuthenticationFilter(hostTokens), BasicAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain tenantApi(HttpSecurity http, ApiTokens apiTokens, JsonMapper json) throws Exception {
        ApiProblemResponses problems = new ApiProblemResponses(json);
        return http
                .securityMatcher("/api/v1/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(ApiTokenAuthenticationFilter.ROLE))
                .addFilterBefore(new ApiTokenAuthenticationFilter(apiTokens), BasicAuthenticationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // No cookies are read on this chain, so there is nothing for a cross-site request to ride on.
                .csrf(csrf -> csrf.disable())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }

    /**
     * The actuator's endpoints. Health is public (its details only for operators, see management.endpoint.health.*);
     * Prometheus metrics need an OPERATOR, either the portal session of one or HTTP Basic credentials, which is what
     * Prometheus's {@code basic_auth} sends. Basic is accepted on this chain only, so pages never answer with a
     * browser's password prompt nor take credentials from a header. Basic sign-ins are not kept: each scrape brings
     * its credentials, and no session (nor a saved request) is made for a scraper. Every other endpoint is refused.
     */
    @Bean
    @Order(3)
    SecurityFilterChain actuator(HttpSecurity http, JdbcClient jdbc) throws Exception {
        return http
                .securityMatcher(EndpointRequest.toAnyEndpoint())
                .addFilterBefore(new DisabledUserFilter(jdbc), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health")).permitAll()
                        .requestMatchers(EndpointRequest.to("prometheus")).hasRole("OPERATOR")
                        .anyRequest().denyAll())
                .httpBasic(basic -> basic.realmName("vGPU Hub metrics"))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .requestCache(cache -> cache.disable())
                .build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain portal(HttpSecurity http, JdbcClient jdbc, LoginThrottle throttle, LoginThrottleSettings throttling,
            SignInAudit signIns) throws Exception {
        // The login page says for how long sign-in is paused.
        String lockedUrl = "/login?locked=" + Math.max(1, throttling.lockout().toMinutes());
        LoginOutcomes outcomes = new LoginOutcomes(throttle, signIns, lockedUrl);
        return http
                .addFilterBefore(new DisabledUserFilter(jdbc), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new LoginThrottleFilter(throttle, lockedUrl), UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/css/**", "/error", "/favicon.ico").permitAll()
                        // The API's description holds no tenant's data, and the programs that read it (client
                        // generators, CI jobs) have an API token, not a portal session. Calls still need a token.
                        .requestMatchers("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/slices/**", "/catalog/**").hasAnyRole("TENANT_USER", "TENANT_ADMIN")
                        .requestMatchers("/tenant-admin/**").hasRole("TENANT_ADMIN")
                        .requestMatchers("/operator/**").hasRole("OPERATOR")
                        .requestMatchers("/licenses", "/licenses/**").hasRole("LICENSE_ADMIN")
                        .requestMatchers("/finance", "/finance/**").hasRole("FINANCE")
                        // A tenant's own statements; which tenant comes from the login, never from the URL.
                        .requestMatchers("/billing", "/billing/**").hasAnyRole("TENANT_USER", "TENANT_ADMIN")
                        .anyRequest().authenticated())
                .formLogin(login -> login.loginPage("/login").successHandler(outcomes).failureHandler(outcomes).permitAll())
                .logout(logout -> logout.addLogoutHandler(outcomes).logoutSuccessUrl("/login?logout").permitAll())
                .headers(headers -> {
                    RequestMatcher swaggerUi = PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**");
                    headers.frameOptions(frame -> frame.deny())
                            .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                            .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(swaggerUi,
                                    new ContentSecurityPolicyHeaderWriter(SWAGGER_UI_CSP)))
                            .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(swaggerUi),
                                    new ContentSecurityPolicyHeaderWriter(PORTAL_CSP)));
                })
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
