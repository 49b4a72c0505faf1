package io.vgpuhub.web.operator.hosttokens;

/**
 * A host token just issued (a new host's, or a rotation's): the secret is here once and nowhere else, not even in the
 * database or the session.
 */
record IssuedHostToken(String secret, HostTokenView host, boolean newHost) {

    /** Without the secret, so that a log line or an error message that prints this cannot leak it. */
    @Override
    public String toString() {
        return "IssuedHostToken[secret=(hidden), host=" + host + ", newHost=" + newHost + "]";
    }
}
