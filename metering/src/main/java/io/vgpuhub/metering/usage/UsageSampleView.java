package io.vgpuhub.metering.usage;

import java.time.Instant;

/** A stored usage sample, as the portal shows it. */
public record UsageSampleView(long sliceId, Instant sampledAt, int gpuUtilizationPercent, int memoryUsedMib,
        String licenseState, Instant receivedAt) {
}
