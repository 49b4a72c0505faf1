package io.vgpuhub.web.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a sign-in for a locked user name or client address before the password is checked, so a locked name answers
 * the same with the right password as with a wrong one. Runs after the CSRF filter, before the login filter.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

    private static final RequestMatcher LOGIN = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/login");

    private final LoginThrottle throttle;
    private final String lockedUrl;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    LoginThrottleFilter(LoginThrottle throttle, String lockedUrl) {
        this.throttle = throttle;
        this.lockedUrl = lockedUrl;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !LOGIN.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (throttle.locked(request.getParameter("username"), request.getRemoteAddr())) {
            redirects.sendRedirect(request, response, lockedUrl);
            return;
        }
        chain.doFilter(request, response);
    }
}
