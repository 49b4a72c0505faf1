package io.vgpuhub.metering.licensing;

import java.time.Instant;

/**
 * A slice's running lease as the tenant and operator views show it.
 *
 * @param holdsSeat false: admitted without a free seat (flagged, unlicensed)
 */
public record SeatLease(long sliceId, Edition edition, boolean holdsSeat, Instant acquiredAt, Instant renewedAt) {
}
