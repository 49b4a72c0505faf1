package io.vgpuhub.web.tenantadmin;

/** A change the tenant admin may not make; {@code messageKey} names the explanation in i18n/admin. */
class TenantAdminRefusal extends RuntimeException {

    private final String messageKey;

    TenantAdminRefusal(String messageKey) {
        super(messageKey);
        this.messageKey = messageKey;
    }

    String messageKey() {
        return messageKey;
    }
}
