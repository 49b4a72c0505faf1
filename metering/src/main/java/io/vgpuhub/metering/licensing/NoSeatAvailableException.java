package io.vgpuhub.metering.licensing;

/**
 * No seat of the edition is free and its admission policy refuses new slices; nothing was written.
 *
 * @see SeatLeases#acquire
 */
public class NoSeatAvailableException extends RuntimeException {

    private final Edition edition;
    private final String editionName;
    private final int entitled;
    private final int inUse;

    public NoSeatAvailableException(Edition edition, String editionName, int entitled, int inUse) {
        super("No %s seat is free (%d of %d in use). Ask your provider's license administrator."
                .formatted(editionName, inUse, entitled));
        this.edition = edition;
        this.editionName = editionName;
        this.entitled = entitled;
        this.inUse = inUse;
    }

    public Edition edition() {
        return edition;
    }

    /** What the tenant is told: the edition and whom to ask, without the provider's seat counts. */
    public String tenantMessage() {
        return "No %s seat is free. Ask your provider's license administrator.".formatted(editionName);
    }

    /** The edition's product name, e.g. "NVIDIA RTX Virtual Workstation". */
    public String editionName() {
        return editionName;
    }

    /** Seats of the edition's entitlements valid now. */
    public int entitled() {
        return entitled;
    }

    /** Seats held by running leases. */
    public int inUse() {
        return inUse;
    }
}
