package io.vgpuhub.web.slice;

/** No GPU can take the requested offering right now (or not all of the slices asked for); nothing was reserved. */
public class NoCapacityException extends RuntimeException {

    /**
     * @param requested how many slices the request asked for
     * @param placeable how many of them would have fitted before the next one did not
     */
    public NoCapacityException(String offeringCode, int requested, int placeable) {
        super(requested <= 1 || placeable == 0
                ? "No free capacity for " + (requested <= 1 ? "" : requested + " × ") + offeringCode
                        + " right now. Try again later or choose another offering."
                : "Only %d of the %d %s slices fit right now, so none were reserved. Ask for fewer, try again later or choose another offering."
                        .formatted(placeable, requested, offeringCode));
    }
}
