package io.vgpuhub.web.security;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.LogoutHandler;

/**
 * Tells the login throttle and the audit trail how each sign-in ended, and the audit trail of each sign-out, then sends
 * the browser where form login would have.
 */
class LoginOutcomes implements AuthenticationSuccessHandler, AuthenticationFailureHandler, LogoutHandler {

    private final LoginThrottle throttle;
    private final SignInAudit audit;
    private final String lockedUrl;
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();
    private final SimpleUrlAuthenticationSuccessHandler home = new SimpleUrlAuthenticationSuccessHandler("/");

    LoginOutcomes(LoginThrottle throttle, SignInAudit audit, String lockedUrl) {
        this.throttle = throttle;
        this.audit = audit;
        this.lockedUrl = lockedUrl;
        // Always the home page, never a saved request: the home page shows each role where to go.
        home.setAlwaysUseDefaultTargetUrl(true);
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException, ServletException {
        throttle.succeeded(authentication.getName());
        audit.succeeded(authentication.getName(), request.getRemoteAddr());
        home.onAuthenticationSuccess(request, response, authentication);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        // Every failure counts, also for a disabled or unknown user: the answer must not tell them apart.
        boolean nowLocked = throttle.failed(request.getParameter("username"), request.getRemoteAddr());
        audit.failed(request.getParameter("username"), request.getRemoteAddr(), exception);
        redirects.sendRedirect(request, response, nowLocked ? lockedUrl : "/login?error");
    }

    /** Runs before the session is dropped; a sign-out without a session (nobody signed in) is not audited. */
    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (authentication != null) {
            audit.signedOut(authentication.getName(), request.getRemoteAddr());
        }
    }
}
