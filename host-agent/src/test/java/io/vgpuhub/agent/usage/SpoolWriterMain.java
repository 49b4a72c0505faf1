package io.vgpuhub.agent.usage;

import java.nio.file.Path;
import java.util.List;

/**
 * Child process of {@link UsageSpoolKillTests}: appends samples {@code args[1]}, {@code args[1]} + 1, ... to the spool in {@code args[0]}, one append
 * (one fsync) each, and prints {@code fsynced <n>} after append returned for sample n.
 */
public final class SpoolWriterMain {

    private SpoolWriterMain() {
    }

    public static void main(String[] args) {
        long from = Long.parseLong(args[1]);
        try (UsageSpool spool = UsageSpool.open(Path.of(args[0]), new UsageSpool.Limits(4096, 1L << 30, 500))) {
            for (long n = from; n < from + 1_000_000; n++) {
                spool.append(List.of(SpoolSamples.sample(n)));
                System.out.println("fsynced " + n);
                System.out.flush();
            }
        }
    }
}
