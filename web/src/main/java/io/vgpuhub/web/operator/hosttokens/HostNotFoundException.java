package io.vgpuhub.web.operator.hosttokens;

/** A token page or action named a host id that does not exist. */
class HostNotFoundException extends RuntimeException {

    private final long hostId;

    HostNotFoundException(long hostId) {
        super("No host with id " + hostId);
        this.hostId = hostId;
    }

    long hostId() {
        return hostId;
    }
}
