package io.vgpuhub.web.apitoken;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns {@code Authorization: Bearer <API token>} into the {@link ApiClient} the request acts as. A refused token
 * leaves the request anonymous and notes why, so the 401 can say it.
 */
public class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    static final String OUTCOME = ApiTokenAuthenticationFilter.class.getName() + ".outcome";
    public static final String ROLE = "API_CLIENT";
    private static final String BEARER = "bearer ";

    private final ApiTokens tokens;

    public ApiTokenAuthenticationFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            TokenCheck check = header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? tokens.check(header.substring(BEARER.length()).strip())
                    : TokenCheck.refused(TokenCheck.Outcome.MALFORMED);
            request.setAttribute(OUTCOME, check.outcome());
            if (check.client() != null) {
                // A genuine token whose user may no longer act is known but gets no role: 403, not 401.
                var roles = check.outcome() == TokenCheck.Outcome.VALID
                        ? List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)) : List.<SimpleGrantedAuthority>of();
                var authentication = UsernamePasswordAuthenticationToken.authenticated(check.client(), null, roles);
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(authentication);
                SecurityContextHolder.setContext(context);
            }
            else {
                // Whatever else might have authenticated this request, a refused token makes it anonymous.
                SecurityContextHolder.clearContext();
            }
        }
        chain.doFilter(request, response);
    }
}
