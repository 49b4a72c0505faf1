package io.vgpuhub.agent.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.vgpuhub.agent.server.UsageBatch;

/** Numbered samples for spool tests, and a way to read back everything a spool still holds. */
final class SpoolSamples {

    static final String SLICE = "5e0c7a52-2f4e-4d8a-9b1e-3c6f7a8b9c0d";

    private SpoolSamples() {
    }

    /** Sample number {@code n}: its number is in memoryUsedMib and in the second of sampledAt. */
    static UsageBatch.Sample sample(long n) {
        return new UsageBatch.Sample(SLICE, Instant.parse("2026-11-24T00:00:00Z").plusSeconds(n).toString(), (int) (n % 101), n, "LICENSED");
    }

    static List<UsageBatch.Sample> samples(long from, long to) {
        List<UsageBatch.Sample> samples = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            samples.add(sample(n));
        }
        return samples;
    }

    /** Takes every batch the spool holds, marking each done, and returns their samples in order. */
    static List<UsageBatch.Sample> drain(UsageSpool spool) {
        List<UsageBatch.Sample> all = new ArrayList<>();
        for (Optional<UsageBatch> batch = spool.nextBatch(); batch.isPresent(); batch = spool.nextBatch()) {
            all.addAll(batch.get().samples());
            spool.completed(batch.get().batchId());
        }
        return all;
    }
}
