package io.vgpuhub.web.i18n;

import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;

import io.vgpuhub.web.security.PortalUser;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.LocaleResolver;

/**
 * Chooses the page language. A signed-in user gets the language they last chose (app_user.locale), read once per
 * session; anyone else gets the language chosen in this browser (a cookie), else the best match of the browser's
 * Accept-Language, else English. Choosing a language stores it for the user and in the cookie.
 */
class UserLocaleResolver implements LocaleResolver {

    static final String COOKIE = "vgpuhub-lang";
    private static final String SESSION_LOCALE = UserLocaleResolver.class.getName() + ".locale";
    private static final String SESSION_USER = UserLocaleResolver.class.getName() + ".user";
    private static final String REQUEST_LOCALE = UserLocaleResolver.class.getName() + ".chosen";
    private static final Duration COOKIE_LIFETIME = Duration.ofDays(365);

    private final UserLocales userLocales;

    UserLocaleResolver(UserLocales userLocales) {
        this.userLocales = userLocales;
    }

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        if (request.getAttribute(REQUEST_LOCALE) instanceof Locale chosen) {
            return chosen;
        }
        return signedInUser().flatMap(user -> ofUser(request, user))
                .or(() -> fromCookie(request))
                .or(() -> fromBrowser(request))
                .orElse(SupportedLocales.ENGLISH);
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        Optional<Locale> supported = SupportedLocales.match(locale);
        if (supported.isEmpty()) {
            return; // ?lang=fr: keep the language the visitor has
        }
        Locale chosen = supported.get();
        request.setAttribute(REQUEST_LOCALE, chosen);
        signedInUser().ifPresent(user -> {
            userLocales.store(user.userId(), chosen);
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.setAttribute(SESSION_USER, user.userId());
                session.setAttribute(SESSION_LOCALE, chosen);
            }
        });
        if (response != null) {
            response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(COOKIE, SupportedLocales.tag(chosen))
                    .path(cookiePath(request)).maxAge(COOKIE_LIFETIME).httpOnly(true).sameSite("Lax").build().toString());
        }
    }

    /** The user's stored language, looked up on the first request of each session (and so after every login). */
    private Optional<Locale> ofUser(HttpServletRequest request, PortalUser user) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return userLocales.of(user.userId());
        }
        if (!Long.valueOf(user.userId()).equals(session.getAttribute(SESSION_USER))) {
            session.setAttribute(SESSION_USER, user.userId());
            Optional<Locale> stored = userLocales.of(user.userId());
            if (stored.isPresent()) {
                session.setAttribute(SESSION_LOCALE, stored.get());
            }
            else {
                session.removeAttribute(SESSION_LOCALE);
            }
        }
        return Optional.ofNullable((Locale) session.getAttribute(SESSION_LOCALE));
    }

    private static Optional<Locale> fromCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName())) {
                return SupportedLocales.fromTag(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** Accept-Language in the browser's order of preference; the first language we speak wins. */
    private static Optional<Locale> fromBrowser(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.ACCEPT_LANGUAGE) == null) {
            return Optional.empty();
        }
        return Collections.list(request.getLocales()).stream()
                .map(SupportedLocales::match).flatMap(Optional::stream).findFirst();
    }

    private static Optional<PortalUser> signedInUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof PortalUser user
                ? Optional.of(user) : Optional.empty();
    }

    private static String cookiePath(HttpServletRequest request) {
        String context = request.getContextPath();
        return context == null || context.isEmpty() ? "/" : context;
    }
}
