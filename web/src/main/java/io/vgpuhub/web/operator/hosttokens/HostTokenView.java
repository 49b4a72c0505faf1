package io.vgpuhub.web.operator.hosttokens;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.vgpuhub.web.i18n.UtcFormat;

/**
 * A host's agent token as the operator sees it: never the token, only its start, when it was issued and when an agent
 * last used it (the host's last heartbeat, if it came after the token was issued).
 *
 * @param prefix the token's first characters; null for a token set from configuration (the demo host)
 */
record HostTokenView(long id, String name, String prefix, Instant issuedAt, Instant revokedAt, Instant lastSeenAt,
        long liveSlices) {

    /**
     * What a token page shows of the token, sent back by its rotate and revoke forms: a rotation changes when it was
     * issued (to the microsecond, as PostgreSQL keeps it), a revocation whether it is revoked.
     *
     * @param issuedAt microseconds since the epoch
     */
    record Seen(long issuedAt, boolean revoked) {
    }

    public Seen seen() {
        return new Seen(ChronoUnit.MICROS.between(Instant.EPOCH, issuedAt), revoked());
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** Whether an agent has used the current token: a heartbeat before it was issued was another token's. */
    public boolean used() {
        return !revoked() && lastSeenAt != null && lastSeenAt.isAfter(issuedAt);
    }

    public String issuedUtc() {
        return UtcFormat.second(issuedAt);
    }

    public String revokedUtc() {
        return UtcFormat.second(revokedAt);
    }

    public String lastUsedUtc() {
        return UtcFormat.second(lastSeenAt);
    }
}
