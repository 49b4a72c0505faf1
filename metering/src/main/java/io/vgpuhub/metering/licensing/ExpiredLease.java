package io.vgpuhub.metering.licensing;

import java.time.Instant;
import java.util.UUID;

/**
 * A lease that expired because its host stopped reporting; what the server logs and audits.
 *
 * @param heldSeat  whether a seat returned (false: the lease was a flagged, unlicensed one)
 * @param renewedAt when the host last renewed it
 */
public record ExpiredLease(long sliceId, UUID sliceUuid, long tenantId, String hostName, Edition edition, boolean heldSeat,
        Instant renewedAt) {
}
