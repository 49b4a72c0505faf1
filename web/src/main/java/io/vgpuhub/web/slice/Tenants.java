package io.vgpuhub.web.slice;

import io.vgpuhub.web.security.PortalUser;

/** The tenant a signed-in user acts for. */
final class Tenants {

    private Tenants() {
    }

    static long of(PortalUser user) {
        if (user.tenantId() == null) {
            throw new IllegalStateException(user.getUsername() + " does not belong to a tenant");
        }
        return user.tenantId();
    }
}
