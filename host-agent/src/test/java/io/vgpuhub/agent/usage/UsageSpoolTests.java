package io.vgpuhub.agent.usage;

import static io.vgpuhub.agent.usage.SpoolSamples.drain;
import static io.vgpuhub.agent.usage.SpoolSamples.sample;
import static io.vgpuhub.agent.usage.SpoolSamples.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vgpuhub.agent.server.UsageBatch;

class UsageSpoolTests {

    @TempDir
    Path dir;

    @Test
    void appendedSamplesSurviveAReopen() {
        try (UsageSpool spool = UsageSpool.open(dir)) {
            spool.append(samples(1, 3));
            spool.append(List.of(sample(4)));
        }
        try (UsageSpool spool = UsageSpool.open(dir)) {
            assertThat(spool.pendingSamples()).isEqualTo(4);
            assertThat(drain(spool)).isEqualTo(samples(1, 4));
            assertThat(spool.pendingSamples()).isZero();
        }
        try (UsageSpool spool = UsageSpool.open(dir)) {
            assertThat(spool.nextBatch()).isEmpty();
            spool.append(List.of(sample(5)));
            assertThat(drain(spool)).containsExactly(sample(5));
        }
    }

    @Test
    void aTornLastRecordIsIgnoredAndTheRecordsBeforeItAreKept() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir)) {
            spool.append(samples(1, 4));
        }
        Path segment = onlySegment();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 7); // the fourth record's write was cut short
        }
        try (UsageSpool spool = UsageSpool.open(dir)) {
            assertThat(spool.pendingSamples()).isEqualTo(3);
            spool.append(List.of(sample(5)));
        }
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.allocate(40)); // a crash after the file grew but before the data reached it
        }
        try (UsageSpool spool = UsageSpool.open(dir)) {
            assertThat(drain(spool)).containsExactly(sample(1), sample(2), sample(3), sample(5));
        }
    }

    @Test
    void aRecordWithABadChecksumEndsTheSegmentWithoutFailing() throws IOException {
        try (UsageSpool spool = UsageSpool.open(dir)) {
            spool.append(samples(1, 3));
        }
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x20; // a flipped bit in the last record's JSON
        Files.write(segment, bytes);
        try (UsageSpool spool = UsageSpool.open(dir)) {
            assertThat(drain(spool)).isEqualTo(samples(1, 2));
        }
    }

    @Test
    void theBatchInFlightKeepsItsIdAndSamplesAcrossARestart() {
        UsageBatch first;
        try (UsageSpool spool = UsageSpool.open(dir, new UsageSpool.Limits(4096, 1 << 20, 3))) {
            spool.append(samples(1, 5));
            first = spool.nextBatch().orElseThrow();
            assertThat(first.samples()).isEqualTo(samples(1, 3));
            assertThat(spool.nextBatch()).contains(first);
            spool.append(List.of(sample(6)));
        }
        try (UsageSpool spool = UsageSpool.open(dir, new UsageSpool.Limits(4096, 1 << 20, 3))) {
            assertThat(spool.nextBatch()).contains(first);
            assertThatThrownBy(() -> spool.completed("another-batch")).isInstanceOf(IllegalStateException.class);
            spool.completed(first.batchId());
            UsageBatch second = spool.nextBatch().orElseThrow();
            assertThat(second.batchId()).isNotEqualTo(first.batchId());
            assertThat(second.samples()).isEqualTo(samples(4, 6));
        }
    }

    @Test
    void acceptedSegmentsAreDeleted() throws IOException {
        UsageSpool.Limits small = new UsageSpool.Limits(1024, 1 << 20, 500);
        try (UsageSpool spool = UsageSpool.open(dir, small)) {
            for (int n = 1; n <= 60; n++) {
                spool.append(List.of(sample(n)));
            }
            assertThat(segments()).hasSizeGreaterThan(3);
            assertThat(drain(spool)).isEqualTo(samples(1, 60));
            assertThat(segments()).hasSize(1);
        }
        try (UsageSpool spool = UsageSpool.open(dir, small)) {
            assertThat(spool.pendingSamples()).isZero();
            spool.append(List.of(sample(61)));
            assertThat(drain(spool)).containsExactly(sample(61));
        }
    }

    @Test
    void whenFullTheOldestUnbatchedSamplesAreDroppedAndCounted() throws IOException {
        UsageSpool.Limits limits = new UsageSpool.Limits(1024, 3072, 4);
        try (UsageSpool spool = UsageSpool.open(dir, limits)) {
            spool.append(samples(1, 6));
            UsageBatch inFlight = spool.nextBatch().orElseThrow();
            assertThat(inFlight.samples()).isEqualTo(samples(1, 4));
            for (int n = 7; n <= 200; n++) {
                spool.append(List.of(sample(n)));
                assertThat(spool.diskBytes()).isLessThanOrEqualTo(limits.maxBytes());
            }
            long dropped = spool.droppedSamples();
            assertThat(dropped).isPositive();
            assertThat(spool.pendingSamples()).isEqualTo(200 - dropped);

            assertThat(spool.nextBatch()).contains(inFlight);
            List<UsageBatch.Sample> delivered = drain(spool);
            assertThat(delivered.subList(0, 4)).isEqualTo(samples(1, 4));
            assertThat(delivered.subList(4, delivered.size())).isEqualTo(samples(201 - (delivered.size() - 4), 200));
            assertThat(delivered).hasSize((int) (200 - dropped));
        }
        try (UsageSpool spool = UsageSpool.open(dir, limits)) {
            assertThat(spool.droppedSamples()).isPositive();
            assertThat(spool.pendingSamples()).isZero();
        }
    }

    @Test
    void aSpoolOpensOnlyOnceAtATime() {
        try (UsageSpool spool = UsageSpool.open(dir)) {
            assertThatThrownBy(() -> UsageSpool.open(dir)).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("cannot open the usage spool").cause().hasMessageContaining("in use by another agent");
            spool.append(List.of(sample(1)));
        }
        try (UsageSpool spool = UsageSpool.open(dir)) {
            assertThat(drain(spool)).containsExactly(sample(1));
        }
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new UsageSpool.Limits(100, 1 << 20, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UsageSpool.Limits(4096, 4096, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UsageSpool.Limits(4096, 1 << 20, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    private Path onlySegment() throws IOException {
        List<Path> segments = segments();
        assertThat(segments).hasSize(1);
        return segments.get(0);
    }
}
