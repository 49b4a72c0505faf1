package io.vgpuhub.metering.licensing;

/**
 * Seats of one edition at one instant.
 *
 * @param entitled seats of the edition's entitlements valid then
 * @param used     seats held by running leases; slices sharing a GPU's seat (per-GPU editions) count once
 * @param flagged  running leases that hold no seat (slices admitted or kept without one)
 */
public record SeatCount(Edition edition, long entitled, long used, long flagged) {
}
