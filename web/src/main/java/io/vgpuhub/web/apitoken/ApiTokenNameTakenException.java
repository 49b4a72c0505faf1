package io.vgpuhub.web.apitoken;

/** The tenant already has a token of this name (revoked ones keep theirs, so the audit trail stays unambiguous). */
public class ApiTokenNameTakenException extends RuntimeException {

    public ApiTokenNameTakenException(String name) {
        super("The tenant already has a token named " + name);
    }
}
