package io.vgpuhub.web.operator.hosttokens;

/**
 * A host token just issued (a new host's, or a rotation's): the secret is here once and nowhere else, not even in the
 * database or the session.
 */
record IssuedHostToken(String secret, HostTokenView host, boolean newHost) {
}
