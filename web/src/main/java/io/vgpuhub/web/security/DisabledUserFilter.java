package io.vgpuhub.web.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Signs out a portal user whose account was disabled (by their tenant admin, say) since they signed in: the session
 * would otherwise outlive the decision. One primary-key lookup per request.
 */
class DisabledUserFilter extends OncePerRequestFilter {

    private final JdbcClient jdbc;

    DisabledUserFilter(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof PortalUser user && !stillEnabled(user)) {
            SecurityContextHolder.clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
        }
        chain.doFilter(request, response);
    }

    private boolean stillEnabled(PortalUser user) {
        return jdbc.sql("select enabled from app_user where id = ?").param(user.userId()).query(Boolean.class)
                .optional().orElse(false);
    }
}
