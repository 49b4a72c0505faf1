package io.vgpuhub.web.slice;

/** No GPU can take the requested offering right now; nothing was reserved. */
public class NoCapacityException extends RuntimeException {

    public NoCapacityException(String offeringCode) {
        super("No free capacity for " + offeringCode + " right now. Try again later or choose another offering.");
    }
}
