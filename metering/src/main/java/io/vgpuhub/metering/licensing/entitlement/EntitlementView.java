package io.vgpuhub.metering.licensing.entitlement;

import java.time.Instant;

import io.vgpuhub.metering.licensing.Edition;

/** A stored entitlement. {@code validUntil} is exclusive; null means perpetual. */
public record EntitlementView(long id, Edition edition, int seats, Instant validFrom, Instant validUntil,
        String orderReference, String notes, Instant createdAt, Instant updatedAt) {

    public boolean validAt(Instant at) {
        return !validFrom.isAfter(at) && (validUntil == null || validUntil.isAfter(at));
    }

    /** Whether it has ended by then, or was ended before it began (valid_until = valid_from: it never counts). */
    public boolean expiredAt(Instant at) {
        return validUntil != null && (!validUntil.isAfter(at) || validUntil.equals(validFrom));
    }

    public boolean perpetual() {
        return validUntil == null;
    }
}
