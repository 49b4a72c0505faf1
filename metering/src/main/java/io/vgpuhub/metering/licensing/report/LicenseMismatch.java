package io.vgpuhub.metering.licensing.report;

import java.time.Instant;
import java.util.UUID;

import io.vgpuhub.metering.licensing.Edition;

/**
 * A slice that holds a seat while its guest says it is not licensed.
 *
 * @param latestState the guest's license state in the slice's latest sample (never LICENSED here)
 * @param lastLicensedAt the latest sample since the seat was leased that said LICENSED; null: none did
 */
public record LicenseMismatch(UUID sliceUuid, String tenant, String vmName, String offering, Edition edition,
        Instant leasedAt, String latestState, Instant latestAt, Instant lastLicensedAt) {
}
