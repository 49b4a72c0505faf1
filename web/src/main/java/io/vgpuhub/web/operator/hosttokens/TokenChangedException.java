package io.vgpuhub.web.operator.hosttokens;

/**
 * A rotation or revocation came from a page that showed another token than the host has now (another operator rotated
 * or revoked it meanwhile); nothing was written.
 */
class TokenChangedException extends RuntimeException {

    private final transient HostTokenView current;

    TokenChangedException(HostTokenView current) {
        super("The agent token of " + current.name() + " changed since the page was loaded");
        this.current = current;
    }

    HostTokenView current() {
        return current;
    }
}
