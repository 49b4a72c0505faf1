package io.vgpuhub.metering.licensing.entitlement;

/** No entitlement has the id asked for. */
public class EntitlementNotFoundException extends RuntimeException {

    private final long id;

    EntitlementNotFoundException(long id) {
        super("There is no entitlement with id " + id + ".");
        this.id = id;
    }

    public long id() {
        return id;
    }
}
