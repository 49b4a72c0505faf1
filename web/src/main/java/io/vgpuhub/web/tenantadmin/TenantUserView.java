package io.vgpuhub.web.tenantadmin;

import java.time.OffsetDateTime;
import java.util.List;

/** A user of the tenant as its admins see them. */
record TenantUserView(long id, String username, String displayName, boolean enabled, List<String> roles,
        OffsetDateTime createdAt) {

    boolean has(String role) {
        return roles.contains(role);
    }

    public boolean admin() {
        return has(TenantRole.TENANT_ADMIN.name());
    }

    public boolean member() {
        return has(TenantRole.TENANT_USER.name());
    }
}
