package io.vgpuhub.metering.usage;

import java.time.Instant;
import java.util.UUID;

/**
 * Published once a usage batch has stored new samples (never for a batch sent again, nor for one whose samples were
 * all stored before), so that others can follow the ingest rate and lag without metering knowing who listens.
 *
 * @param stored           samples this batch newly stored
 * @param newestSampledAt  the latest {@code sampled_at} among the batch's samples
 */
public record UsageBatchStored(UUID batchId, long hostId, int stored, Instant newestSampledAt) {
}
