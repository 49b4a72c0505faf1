package io.vgpuhub.metering.usage;

import java.util.UUID;

/**
 * What became of a usage batch.
 *
 * @param samples       samples the batch carried
 * @param stored        samples newly stored; fewer than {@code samples} when some were already there (from another
 *                      batch, or repeated within this one), 0 when the batch itself was stored before
 * @param alreadyStored the batch id was seen before: this copy was not looked at again and counts for nothing
 */
public record UsageReceipt(UUID batchId, int samples, int stored, boolean alreadyStored) {
}
