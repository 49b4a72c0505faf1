package io.vgpuhub.web.apitoken;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.vgpuhub.web.audit.AuditEvents;
import io.vgpuhub.web.agentapi.HostTokens;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's API tokens: issued by its admins, shown once, stored only as a SHA-256 (they are 256 random bits, so a
 * fast hash is enough and a request costs one indexed lookup), revoked for good. Every change is audited.
 */
@Service
public class ApiTokens {

    /** Tells an API token apart from other secrets at a glance (and in secret scanners). */
    public static final String SECRET_PREFIX = "vgh_";
    /** A token's name; the admin's form checks it too. */
    public static final String NAME_REGEX = "^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$";
    public static final Pattern NAME = Pattern.compile(NAME_REGEX);
    private static final Pattern SECRET = Pattern.compile("^vgh_[A-Za-z0-9_-]{43}$");
    private static final int SHOWN_PREFIX_LENGTH = 12;
    // A token used all day long costs one write a minute, not one per request.
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private static final String VIEW = """
            select t.id, t.name, t.token_prefix as prefix, u.username as created_by, t.created_at, t.expires_at,
                   t.last_used_at, t.revoked_at
            from api_token t join app_user u on u.id = t.created_by
            """;

    private final JdbcClient jdbc;
    private final AuditEvents auditEvents;

    ApiTokens(JdbcClient jdbc, AuditEvents auditEvents) {
        this.auditEvents = auditEvents;
        this.jdbc = jdbc;
    }

    /**
     * Issues a token that acts as {@code userId} within {@code tenantId}.
     *
     * @param validFor how long it works; null for no expiry
     * @throws ApiTokenNameTakenException when the tenant already has a token of that name; nothing is written then
     */
    @Transactional
    public IssuedApiToken issue(long tenantId, long userId, String actor, String name, Duration validFor) {
        String cleanName = name == null ? "" : name.strip();
        if (!NAME.matcher(cleanName).matches()) {
            throw new IllegalArgumentException("A token name is 1 to 63 letters, digits, spaces, dots, dashes or underscores");
        }
        if (validFor != null && (validFor.isNegative() || validFor.isZero())) {
            throw new IllegalArgumentException("A token must be valid for some time");
        }
        String secret = HostTokens.newSecret(SECRET_PREFIX);
        long id;
        try {
            id = jdbc.sql("""
                    insert into api_token (tenant_id, created_by, name, token_hash, token_prefix, expires_at)
                    values (:tenantId, :userId, :name, :hash, :prefix, now() + make_interval(secs => :seconds))
                    returning id
                    """)
                    .param("tenantId", tenantId).param("userId", userId).param("name", cleanName)
                    .param("hash", HostTokens.hash(secret)).param("prefix", secret.substring(0, SHOWN_PREFIX_LENGTH))
                    .param("seconds", validFor == null ? null : (double) validFor.toSeconds(), java.sql.Types.DOUBLE)
                    .query(Long.class).single();
        }
        catch (DuplicateKeyException e) {
            throw new ApiTokenNameTakenException(cleanName);
        }
        audit(actor, tenantId, "token.issue", cleanName,
                validFor == null ? "no expiry" : "valid for " + validFor.toDays() + " days");
        return new IssuedApiToken(secret, find(tenantId, id).orElseThrow());
    }

    /** The tenant's tokens, usable ones first, newest first. */
    public List<ApiTokenView> of(long tenantId) {
        return jdbc.sql(VIEW + """
                where t.tenant_id = ?
                order by (t.revoked_at is null and (t.expires_at is null or t.expires_at > now())) desc,
                         t.created_at desc, t.id desc
                """).param(tenantId).query(ApiTokenView.class).list();
    }

    public Optional<ApiTokenView> find(long tenantId, long tokenId) {
        return jdbc.sql(VIEW + " where t.tenant_id = ? and t.id = ?").params(tenantId, tokenId)
                .query(ApiTokenView.class).optional();
    }

    /**
     * Revokes the token for good; revoking a revoked token changes nothing and is not an error.
     *
     * @throws ApiTokenNotFoundException when the tenant has no such token
     */
    @Transactional
    public ApiTokenView revoke(long tenantId, long tokenId, String actor) {
        ApiTokenView token = jdbc.sql(VIEW + " where t.tenant_id = ? and t.id = ? for update of t")
                .params(tenantId, tokenId).query(ApiTokenView.class).optional()
                .orElseThrow(() -> new ApiTokenNotFoundException(tokenId));
        if (!token.revoked()) {
            jdbc.sql("update api_token set revoked_at = now() where id = ?").param(tokenId).update();
            audit(actor, tenantId, "token.revoke", token.name(), "prefix " + token.prefix());
        }
        return find(tenantId, tokenId).orElseThrow();
    }

    /** Checks a presented secret and, for a genuine token, notes that it was used. */
    TokenCheck check(String secret) {
        if (secret == null || !SECRET.matcher(secret).matches()) {
            return TokenCheck.refused(TokenCheck.Outcome.MALFORMED);
        }
        record Row(long id, long tenantId, long createdBy, String name, OffsetDateTime expiresAt,
                OffsetDateTime revokedAt, OffsetDateTime lastUsedAt, boolean userActive) {
        }
        Optional<Row> found = jdbc.sql("""
                select t.id, t.tenant_id, t.created_by, t.name, t.expires_at, t.revoked_at, t.last_used_at,
                       u.enabled and exists (select 1 from user_role r where r.user_id = u.id
                                             and r.role in ('TENANT_USER', 'TENANT_ADMIN')) as user_active
                from api_token t join app_user u on u.id = t.created_by
                where t.token_hash = ?
                """).param(HostTokens.hash(secret)).query(Row.class).optional();
        if (found.isEmpty()) {
            return TokenCheck.refused(TokenCheck.Outcome.UNKNOWN);
        }
        Row row = found.get();
        OffsetDateTime now = OffsetDateTime.now();
        if (row.revokedAt() != null) {
            return TokenCheck.refused(TokenCheck.Outcome.REVOKED);
        }
        if (row.expiresAt() != null && !row.expiresAt().isAfter(now)) {
            return TokenCheck.refused(TokenCheck.Outcome.EXPIRED);
        }
        if (row.lastUsedAt() == null || row.lastUsedAt().isBefore(now.minus(LAST_USED_RESOLUTION))) {
            jdbc.sql("update api_token set last_used_at = now() where id = ?").param(row.id()).update();
        }
        ApiClient client = new ApiClient(row.id(), row.name(), row.tenantId(), row.createdBy());
        return new TokenCheck(row.userActive() ? TokenCheck.Outcome.VALID : TokenCheck.Outcome.USER_INACTIVE, client);
    }

    private void audit(String actor, long tenantId, String action, String tokenName, String detail) {
        auditEvents.record(actor, tenantId, action, "token:" + tokenName, detail);
    }
}
