package io.vgpuhub.metering.licensing.report;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.AdmissionPolicy;

/**
 * Seats of one edition right now.
 *
 * @param entitled seats of the entitlements valid now
 * @param used seats held by running leases (a per-GPU seat shared by several slices counts once)
 * @param free entitled minus used; negative when entitlements ended while their seats were still held
 * @param flagged running slices admitted without a seat (ALLOW_UNLICENSED)
 * @param closeToExhaustion at least the warning share of the entitled seats is used, or at most one is free; never
 *        for an edition with neither entitled nor used seats
 */
public record EditionSeats(Edition edition, String name, boolean perGpu, AdmissionPolicy admissionPolicy, long entitled,
        long used, long free, long flagged, boolean closeToExhaustion) {

    static EditionSeats of(Edition edition, String name, boolean perGpu, AdmissionPolicy policy, long entitled,
            long used, long flagged, int warningPercent) {
        long free = entitled - used;
        boolean close = (entitled > 0 || used > 0) && (free <= 1 || used * 100 >= (long) warningPercent * entitled);
        return new EditionSeats(edition, name, perGpu, policy, entitled, used, free, flagged, close);
    }

    /** Share of the entitled seats in use, in whole percent (0 when none are entitled). */
    public long usedPercent() {
        return entitled == 0 ? 0 : Math.round(used * 100.0 / entitled);
    }
}
