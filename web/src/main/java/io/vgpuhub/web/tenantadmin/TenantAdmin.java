package io.vgpuhub.web.tenantadmin;

/** A tenant admin acting on their tenant, as checked against the database for this request. */
record TenantAdmin(long tenantId, String tenantName, long userId, String username) {

    String actor() {
        return "user:" + username;
    }
}
