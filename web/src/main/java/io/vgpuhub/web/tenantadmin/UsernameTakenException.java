package io.vgpuhub.web.tenantadmin;

/** User names are unique across all tenants, since they sign in on one page. */
class UsernameTakenException extends RuntimeException {

    UsernameTakenException(String username) {
        super("The user name " + username + " is taken");
    }
}
