package io.vgpuhub.web.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.vgpuhub.web.audit.AuditEvents;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts failed sign-ins per submitted user name and per client address in the database, so every replica sees the
 * same counts, and locks a name or address for a while once it has too many. The name is counted whether or not such
 * a user exists, and a locked name is refused even with the right password: the answer never tells a real name from
 * a made-up one.
 */
@Component
class LoginThrottle {

    static final String SYSTEM_ACTOR = "login-throttle";

    private final JdbcClient jdbc;
    private final AuditEvents audit;
    private final LoginThrottleSettings settings;
    private final Clock clock;

    LoginThrottle(JdbcClient jdbc, AuditEvents audit, LoginThrottleSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** Whether sign-ins for this user name, or from this address, are refused right now. */
    boolean locked(String username, String address) {
        return jdbc.sql("select count(*) from login_attempt where subject in (:user, :address) and locked_until > :now")
                .param("user", userSubject(username)).param("address", addressSubject(address))
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class).single() > 0;
    }

    /** Counts a failed sign-in; true when it locked the user name or the address. */
    @Transactional
    boolean failed(String username, String address) {
        boolean userLocked = count(userSubject(username), settings.maxFailures());
        boolean addressLocked = count(addressSubject(address), settings.maxFailuresPerAddress());
        return userLocked || addressLocked;
    }

    /** A successful sign-in forgets the name's failures (not the address's: one good account must not reset it). */
    void succeeded(String username) {
        jdbc.sql("delete from login_attempt where subject = :subject").param("subject", userSubject(username)).update();
    }

    /**
     * Rows whose window and lockout are both over count for nothing; removing them keeps the table small. Run by
     * {@link LoginAttemptCleanupScheduling}, once across replicas.
     */
    int forgetStale() {
        Instant now = clock.instant();
        return jdbc.sql("""
                delete from login_attempt
                where window_started_at < :windowStart and (locked_until is null or locked_until < :now)""")
                .param("windowStart", Timestamp.from(now.minus(settings.window())))
                .param("now", Timestamp.from(now))
                .update();
    }

    private boolean count(String subject, int max) {
        Instant now = clock.instant();
        // One statement, so failures arriving at two replicas at once both count.
        int failures = jdbc.sql("""
                insert into login_attempt as a (subject, failures, window_started_at) values (:subject, 1, :now)
                on conflict (subject) do update set
                    failures = case when a.window_started_at < :windowStart then 1 else a.failures + 1 end,
                    window_started_at = case when a.window_started_at < :windowStart then :now else a.window_started_at end
                returning failures""")
                .param("subject", subject).param("now", Timestamp.from(now))
                .param("windowStart", Timestamp.from(now.minus(settings.window())))
                .query(Integer.class).single();
        if (failures < max) {
            return false;
        }
        // Only the statement that finds the count still at or over the limit locks (and audits) once.
        List<Integer> locked = jdbc.sql("""
                update login_attempt set failures = 0, window_started_at = :now, locked_until = :until
                where subject = :subject and failures >= :max returning 1""")
                .param("subject", subject).param("now", Timestamp.from(now))
                .param("until", Timestamp.from(now.plus(settings.lockout()))).param("max", max)
                .query(Integer.class).list();
        if (locked.isEmpty()) {
            return false;
        }
        audit.record(SYSTEM_ACTOR, null, "login.locked", subject,
                max + " failed sign-ins within " + settings.window() + "; refused for " + settings.lockout());
        return true;
    }

    static String userSubject(String username) {
        // A control character is no name's; PostgreSQL refuses a NUL in text, which would turn the sign-in into an error.
        String name = username == null ? "" : TypedNames.printable(username.strip().toLowerCase(Locale.ROOT));
        if (name.isEmpty()) {
            return "user:(blank)"; // no real user name has brackets
        }
        // The audit target holds 200 characters; a longer "name" is an attack, and its prefix counts just as well.
        return "user:" + (name.length() > 190 ? name.substring(0, 190) : name);
    }

    static String addressSubject(String address) {
        return "address:" + (address == null || address.isBlank() ? "unknown" : address);
    }
}
