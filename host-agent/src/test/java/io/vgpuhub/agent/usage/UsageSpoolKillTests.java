package io.vgpuhub.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.server.UsageBatch;

/**
 * kill -9 of a process in the middle of appending: every sample it reported fsync'd is recovered, in order, and a
 * new process appends after whatever the killed one left (a torn record included).
 */
class UsageSpoolKillTests {

    private static final int KILL_AFTER = 200;

    @TempDir
    Path dir;

    @Test
    void everySampleReportedFsyncedSurvivesAKillDashNine() throws Exception {
        Path spoolDir = dir.resolve("spool");
        long from = 1;
        for (int round = 1; round <= 2; round++) {
            long reported = appendUntilKilled(spoolDir, from);
            assertThat(reported).as("last sample the child reported fsync'd, round %d", round).isGreaterThanOrEqualTo(from + KILL_AFTER - 1);

            List<UsageBatch.Sample> recovered;
            try (UsageSpool spool = UsageSpool.open(spoolDir, new UsageSpool.Limits(4096, 1L << 30, 500))) {
                recovered = SpoolSamples.drain(spool);
            }
            long last = recovered.get(recovered.size() - 1).memoryUsedMib();
            // Everything reported is there; at most the one sample being appended at the kill may be there too.
            assertThat(last).isBetween(reported, reported + 1);
            assertThat(recovered).isEqualTo(SpoolSamples.samples(from, last));
            from = last + 1;
        }
    }

    /**
     * Runs {@link SpoolWriterMain} and SIGKILLs it once it reported KILL_AFTER samples; returns the last sample it
     * reported. Its output goes to a file, which keeps every whole line it wrote before it died.
     */
    private static long appendUntilKilled(Path spoolDir, long from) throws Exception {
        Path progress = Files.createTempFile(spoolDir.getParent(), "progress", ".txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SpoolWriterMain.class.getName(), spoolDir.toString(), Long.toString(from))
                .redirectOutput(progress.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lastReported(progress, from) < from + KILL_AFTER - 1 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
        }
        finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close(), possibly in the middle of a write
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        return lastReported(progress, from);
    }

    /** The last sample of a whole "fsynced n" line in the file; a line cut by the kill is ignored. */
    private static long lastReported(Path progress, long from) throws IOException {
        String text = Files.readString(progress, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return from - 1;
        }
        int start = text.lastIndexOf('\n', end - 1) + 1;
        return Long.parseLong(text.substring(start, end).substring("fsynced ".length()));
    }
}
