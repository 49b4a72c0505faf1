package io.vgpuhub.metering.licensing;

/**
 * What renewing a host's leases did.
 *
 * @param renewed leases that were running and are renewed
 * @param seated  slices that took a seat again (their lease had expired or was flagged)
 * @param flagged slices that run on without a seat: none was free (a running slice is never refused)
 */
public record HostRenewal(int renewed, int seated, int flagged) {
}
