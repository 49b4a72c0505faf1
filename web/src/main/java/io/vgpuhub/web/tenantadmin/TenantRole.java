package io.vgpuhub.web.tenantadmin;

/** The roles a tenant admin hands out; provider roles (operator, finance, ...) are not theirs to give. */
enum TenantRole {
    TENANT_USER, TENANT_ADMIN
}
