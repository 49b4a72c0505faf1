package io.vgpuhub.metering.licensing.entitlement;

import java.time.Instant;

import io.vgpuhub.metering.licensing.Edition;

/**
 * An entitlement as a license administrator enters it, before it is checked. {@code validUntil} is exclusive; null
 * means perpetual. Nulls elsewhere are allowed here so that {@link Entitlements} can say which field is missing.
 */
public record EntitlementDraft(Edition edition, Integer seats, Instant validFrom, Instant validUntil,
        String orderReference, String notes) {

    /** Surrounding spaces are not part of a reference or a note; a blank note is no note. */
    public EntitlementDraft {
        orderReference = orderReference == null ? null : orderReference.strip();
        notes = notes == null || notes.isBlank() ? null : notes.strip();
    }
}
