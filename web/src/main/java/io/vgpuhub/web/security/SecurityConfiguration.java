package io.vgpuhub.web.security;

import io.vgpuhub.web.agentapi.HostTokenAuthenticationFilter;
import io.vgpuhub.web.agentapi.HostTokens;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/** One filter chain per audience: host agents (bearer host tokens, no session) and people (form login, CSRF). */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

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
    SecurityFilterChain portal(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/css/**", "/error", "/favicon.ico", "/actuator/health").permitAll()
                        .requestMatchers("/slices/**", "/catalog/**").hasAnyRole("TENANT_USER", "TENANT_ADMIN")
                        .requestMatchers("/tenant-admin/**").hasRole("TENANT_ADMIN")
                        .requestMatchers("/operator/**").hasRole("OPERATOR")
                        .anyRequest().authenticated())
                .formLogin(login -> login.loginPage("/login").defaultSuccessUrl("/", true).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
