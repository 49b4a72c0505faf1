package io.vgpuhub.web.tenantadmin;

/** No user with this id belongs to the admin's tenant (they may belong to another). */
class TenantUserNotFoundException extends RuntimeException {

    TenantUserNotFoundException(long userId) {
        super("No user " + userId + " in this tenant");
    }
}
