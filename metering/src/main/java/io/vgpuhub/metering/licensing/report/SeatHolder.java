package io.vgpuhub.metering.licensing.report;

import java.time.Instant;
import java.util.UUID;

import io.vgpuhub.metering.licensing.Edition;

/**
 * A running slice with a lease: who runs it, where, since when, and whether it holds a seat or was admitted
 * unlicensed (flagged). host and gpu are null for a slice that has no GPU (any more).
 */
public record SeatHolder(UUID sliceUuid, String tenant, String vmName, String offering, Edition edition,
        String seatKey, String host, String gpu, Instant since, Instant renewedAt, boolean holdsSeat) {
}
