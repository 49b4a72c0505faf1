package io.vgpuhub.web.apitoken;

import java.time.OffsetDateTime;

/** An API token as its tenant's admins see it: never the secret, only its first characters. */
public record ApiTokenView(long id, String name, String prefix, String createdBy, OffsetDateTime createdAt,
        OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    public boolean expired() {
        return expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now());
    }

    public boolean usable() {
        return !revoked() && !expired();
    }
}
