package io.vgpuhub.web.apitoken;

/** A token just issued: the secret is here once and nowhere else, not even in the database. */
public record IssuedApiToken(String secret, ApiTokenView token) {
}
