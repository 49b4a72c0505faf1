package io.vgpuhub.web.slice;

import io.vgpuhub.web.security.PortalUser;

/**
 * Who asks for or releases a slice: a user of a tenant, signed in to the portal or calling the REST API with one of
 * the tenant's tokens. {@code actor} is what the audit trail records ("user:alice", "token:ci-pipeline").
 */
public record Requester(long tenantId, long userId, String actor) {

    public static Requester of(PortalUser user) {
        if (user.tenantId() == null) {
            throw new IllegalStateException(user.getUsername() + " does not belong to a tenant");
        }
        return new Requester(user.tenantId(), user.userId(), "user:" + user.getUsername());
    }
}
