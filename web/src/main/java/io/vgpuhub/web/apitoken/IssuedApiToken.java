package io.vgpuhub.web.apitoken;

/** A token just issued: the secret is here once and nowhere else, not even in the database. */
public record IssuedApiToken(String secret, ApiTokenView token) {

    /** Without the secret, so that a log line or an error message that prints this cannot leak it. */
    @Override
    public String toString() {
        return "IssuedApiToken[secret=(hidden), token=" + token + "]";
    }
}
