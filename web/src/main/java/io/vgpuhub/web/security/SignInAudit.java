package io.vgpuhub.web.security;


import io.vgpuhub.web.audit.AuditEvents;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;

/**
 * The audit rows of the portal's sign-ins and sign-outs: who (the user name as typed, for a failure), from which client
 * address, and for a failure why; never a password. Each row is written on its own (there is no transaction to join),
 * and a row that cannot be written is logged instead of failing the sign-in: by then Spring Security has already
 * stored the session, so an error would only hide a sign-in that happened.
 */
@Component
class SignInAudit {

    private static final Logger log = LoggerFactory.getLogger(SignInAudit.class);
    private static final int TARGET_LIMIT = 200;

    private final AuditEvents events;

    SignInAudit(AuditEvents events) {
        this.events = events;
    }

    void succeeded(String username, String address) {
        record("user:" + username, "login.succeeded", "user:" + username, "from " + address(address));
    }

    /** A refused sign-in: the name as typed (it may be no user's) and the reason, which only the audit trail shows. */
    void failed(String typedName, String address, AuthenticationException reason) {
        String name = typedName == null || typedName.isBlank() ? "(blank)" : typedName;
        record("anonymous", "login.failed", "user:" + name, "from " + address(address) + ": " + reason(reason));
    }

    void signedOut(String username, String address) {
        record("user:" + username, "login.logout", "user:" + username, "from " + address(address));
    }

    private void record(String actor, String action, String target, String detail) {
        String cleanTarget = cut(target);
        String cleanDetail = TypedNames.printable(detail);
        try {
            events.record(actor, null, action, cleanTarget, cleanDetail);
        }
        catch (RuntimeException e) {
            log.error("Could not write the audit row {} {} ({}): {}", action, cleanTarget, cleanDetail, e.toString());
        }
    }

    private static String reason(AuthenticationException e) {
        if (e instanceof DisabledException) {
            return "account disabled";
        }
        if (e instanceof LockedException) {
            return "account locked";
        }
        return e instanceof BadCredentialsException ? "wrong user name or password" : e.getClass().getSimpleName();
    }

    private static String address(String address) {
        return address == null || address.isBlank() ? "unknown address" : address;
    }

    /** A typed name, printable ({@link TypedNames}) and fit for the audit column. */
    private static String cut(String text) {
        String clean = TypedNames.printable(text);
        return clean.length() > TARGET_LIMIT ? clean.substring(0, TARGET_LIMIT) : clean;
    }
}
