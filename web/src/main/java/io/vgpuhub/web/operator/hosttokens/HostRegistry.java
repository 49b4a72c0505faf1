package io.vgpuhub.web.operator.hosttokens;

import java.util.Optional;
import java.util.regex.Pattern;

import io.vgpuhub.web.agentapi.HostTokens;
import io.vgpuhub.web.audit.AuditEvents;
import io.vgpuhub.web.operator.UnknownItemException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers hosts and issues, rotates and revokes their agent tokens. A token is shown once to the operator and stored
 * only as its SHA-256; a rotation replaces the hash, so the old token is refused from that moment; a revocation removes
 * it, so the host's agent is refused while its GPUs and slices stay as they are. Each change is audited in its
 * transaction, with the token's first characters and never the token.
 */
@Service
class HostRegistry {

    /** Tells a host token apart from an API token ({@code vgh_}) and other secrets at a glance. */
    static final String SECRET_PREFIX = "vgha_";
    /** A host's name, as the schema's check on host.name has it. */
    static final String NAME_REGEX = "^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$";
    private static final Pattern NAME = Pattern.compile(NAME_REGEX);
    private static final int SHOWN_PREFIX_LENGTH = SECRET_PREFIX.length() + 8;

    private static final String VIEW = """
            select h.id, h.name, h.agent_token_prefix as prefix, h.agent_token_issued_at as issued_at,
                   h.agent_token_revoked_at as revoked_at, h.last_seen_at,
                   (select count(*) from slice s join gpu g on g.id = s.gpu_id
                    where g.host_id = h.id and s.state <> 'RELEASED') as live_slices
            from host h
            """;

    private final JdbcClient jdbc;
    private final AuditEvents audit;

    HostRegistry(JdbcClient jdbc, AuditEvents audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    Optional<HostTokenView> find(long hostId) {
        return jdbc.sql(VIEW + " where h.id = ?").param(hostId).query(HostTokenView.class).optional();
    }

    HostTokenView get(long hostId) {
        return find(hostId).orElseThrow(() -> unknown(hostId));
    }

    /**
     * A new host with a new token. The host is OFFLINE until its agent first reports.
     *
     * @throws HostNameTakenException when a host of that name exists; nothing is written then
     */
    @Transactional
    IssuedHostToken register(String actor, String name) {
        String cleanName = name == null ? "" : name.strip();
        if (!NAME.matcher(cleanName).matches()) {
            throw new IllegalArgumentException("A host name is 1 to 63 letters, digits, dots or dashes");
        }
        String secret = HostTokens.newSecret(SECRET_PREFIX);
        Long id = jdbc.sql("""
                insert into host (name, agent_token_hash, agent_token_prefix) values (:name, :hash, :prefix)
                on conflict (name) do nothing
                returning id""")
                .param("name", cleanName).param("hash", HostTokens.hash(secret)).param("prefix", shown(secret))
                .query(Long.class).optional().orElseThrow(() -> new HostNameTakenException(cleanName));
        audit.record(actor, null, "host.register", cleanName, "token " + shown(secret) + "…");
        return new IssuedHostToken(secret, get(id), true);
    }

    /**
     * A new token for the host; the one it had (if any) is refused from the commit on. Also undoes a revocation.
     *
     * @param seen the token as the operator's page showed it
     * @throws TokenChangedException when the token is no longer as seen; nothing is written then
     */
    @Transactional
    IssuedHostToken rotate(String actor, long hostId, HostTokenView.Seen seen) {
        HostTokenView before = lock(hostId, seen);
        String secret = HostTokens.newSecret(SECRET_PREFIX);
        jdbc.sql("""
                update host set agent_token_hash = :hash, agent_token_prefix = :prefix, agent_token_issued_at = now(),
                    agent_token_revoked_at = null
                where id = :id""")
                .param("hash", HostTokens.hash(secret)).param("prefix", shown(secret)).param("id", hostId).update();
        String replaced = before.revoked() ? "was revoked" : "replaces " + describe(before);
        audit.record(actor, null, "host.token.rotate", before.name(), "token " + shown(secret) + "…; " + replaced);
        return new IssuedHostToken(secret, get(hostId), false);
    }

    /** What a revocation did: the host afterwards, and whether it changed (revoking a revoked token changes nothing). */
    record Revocation(HostTokenView host, boolean changed) {
    }

    /**
     * @param seen the token as the operator's page showed it
     * @throws TokenChangedException when the token is no longer as seen; nothing is written then
     */
    @Transactional
    Revocation revoke(String actor, long hostId, HostTokenView.Seen seen) {
        HostTokenView before = lock(hostId, seen);
        if (before.revoked()) {
            return new Revocation(before, false);
        }
        jdbc.sql("update host set agent_token_hash = null, agent_token_revoked_at = now() where id = ?")
                .param(hostId).update();
        audit.record(actor, null, "host.token.revoke", before.name(),
                describe(before) + " refused from now on; " + before.liveSlices() + " live slice(s) left as they are");
        return new Revocation(get(hostId), true);
    }

    /**
     * Locks the host row, so that a rotation and a revocation at once come one after the other, and checks that the
     * token is still the one the operator decided on: a click on a page loaded before another operator's rotation or
     * revocation must not undo it.
     */
    private HostTokenView lock(long hostId, HostTokenView.Seen seen) {
        jdbc.sql("select id from host where id = ? for update").param(hostId).query(Long.class).optional()
                .orElseThrow(() -> unknown(hostId));
        HostTokenView current = get(hostId);
        if (!current.seen().equals(seen)) {
            throw new TokenChangedException(current);
        }
        return current;
    }

    private static UnknownItemException unknown(long hostId) {
        return new UnknownItemException("operator.hosts.unknown", String.valueOf(hostId));
    }

    private static String shown(String secret) {
        return secret.substring(0, SHOWN_PREFIX_LENGTH);
    }

    private static String describe(HostTokenView host) {
        return host.prefix() == null ? "the configured token" : "token " + host.prefix() + "…";
    }
}
