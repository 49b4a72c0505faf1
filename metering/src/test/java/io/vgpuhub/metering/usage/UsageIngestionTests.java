package io.vgpuhub.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest
class UsageIngestionTests {

    @Autowired
    UsageIngestion ingestion;

    @Autowired
    UsageQueries queries;

    @Autowired
    JdbcClient jdbc;

    UsageFixtures fixtures;
    long host;
    long sliceId;
    Instant now;

    @BeforeEach
    void aReadySlice() {
        fixtures = new UsageFixtures(jdbc);
        host = fixtures.host();
        sliceId = fixtures.slice(host);
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void storesEverySampleOfABatchWithItsHost() {
        UUID batch = UUID.randomUUID();
        UsageReceipt receipt = ingestion.ingest(batch, host, List.of(
                new UsageSampleReport(sliceId, now.minusSeconds(10), 40, 1024, null),
                new UsageSampleReport(sliceId, now, 55, 2048, "LICENSED")));

        assertThat(receipt).isEqualTo(new UsageReceipt(batch, 2, 2, false));
        UsageSampleView latest = queries.latestFor(List.of(sliceId)).get(sliceId);
        assertThat(latest.sampledAt()).isEqualTo(now);
        assertThat(latest.gpuUtilizationPercent()).isEqualTo(55);
        assertThat(latest.memoryUsedMib()).isEqualTo(2048);
        assertThat(latest.licenseState()).isEqualTo("LICENSED");
        assertThat(jdbc.sql("select host_id, sample_count from usage_batch where batch_id = ?").param(batch).query().singleRow())
                .containsEntry("host_id", host).containsEntry("sample_count", 2);
    }

    @Test
    void aBatchSentAgainIsAnsweredAsAlreadyStoredAndCountsOnce() {
        UUID batch = UUID.randomUUID();
        List<UsageSampleReport> samples = List.of(new UsageSampleReport(sliceId, now.minusSeconds(5), 12, 512, null));

        assertThat(ingestion.ingest(batch, host, samples).alreadyStored()).isFalse();
        UsageReceipt again = ingestion.ingest(batch, host, samples);

        assertThat(again).isEqualTo(new UsageReceipt(batch, 1, 0, true));
        assertThat(fixtures.samples(sliceId)).isEqualTo(1);
        assertThat(jdbc.sql("select sample_count from usage_hourly where slice_id = ?").param(sliceId).query(Integer.class).single())
                .isEqualTo(1);
    }

    @Test
    void aBatchSentTenTimesAtOnceIsStoredOnce() throws Exception {
        UUID batch = UUID.randomUUID();
        List<UsageSampleReport> samples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            samples.add(new UsageSampleReport(sliceId, now.minusSeconds(i), i % 101, i * 10, "LICENSED"));
        }

        List<UsageReceipt> receipts = concurrently(10, n -> ingestion.ingest(batch, host, samples));

        assertThat(receipts).filteredOn(r -> !r.alreadyStored()).singleElement()
                .isEqualTo(new UsageReceipt(batch, 200, 200, false));
        assertThat(receipts).filteredOn(UsageReceipt::alreadyStored).hasSize(9).allMatch(r -> r.stored() == 0);
        assertThat(fixtures.samples(sliceId)).isEqualTo(200);
        assertThat(fixtures.batches(batch)).isEqualTo(1);
        assertThat(jdbc.sql("select sum(sample_count) from usage_hourly where slice_id = ?").param(sliceId)
                .query(Long.class).single()).isEqualTo(200);
    }

    @Test
    void samplesAnotherBatchAlreadyStoredAreSkippedAndTheSameSampleTwiceInABatchIsStoredOnce() {
        UsageSampleReport a = new UsageSampleReport(sliceId, now.minusSeconds(20), 10, 100, null);
        UsageSampleReport b = new UsageSampleReport(sliceId, now.minusSeconds(10), 20, 200, null);
        ingestion.ingest(UUID.randomUUID(), host, List.of(a));

        UsageReceipt receipt = ingestion.ingest(UUID.randomUUID(), host, List.of(b, a, b));

        assertThat(receipt.samples()).isEqualTo(3);
        assertThat(receipt.stored()).isEqualTo(1);
        assertThat(receipt.alreadyStored()).isFalse();
        assertThat(fixtures.samples(sliceId)).isEqualTo(2);
    }

    @Test
    void eachRefusalNamesTheSampleAndItsReasonAndStoresNothingOfTheBatch() {
        long otherHost = fixtures.host();
        long otherHostsSlice = fixtures.slice(otherHost);
        long youngSlice = fixtures.slice(host, now.minusSeconds(3600));
        UsageSampleReport good = new UsageSampleReport(sliceId, now.minusSeconds(30), 30, 100, "LICENSED");

        refused(new UsageSampleReport(sliceId, now.plusSeconds(6 * 60), 30, 1, null),
                "samples[1] (slice " + sliceId + " at ", "more than 5 minutes in the future");
        refused(new UsageSampleReport(youngSlice, now.minusSeconds(3600 + 6 * 60), 30, 1, null),
                "samples[1] (slice " + youngSlice, "dated before its slice existed");
        refused(new UsageSampleReport(sliceId, now, 30, -1, null), "memoryUsedMib must not be negative, was -1");
        refused(new UsageSampleReport(sliceId, now, 101, 1, null), "gpuUtilizationPercent must be between 0 and 100, was 101");
        refused(new UsageSampleReport(sliceId, now, -1, 1, null), "gpuUtilizationPercent must be between 0 and 100, was -1");
        refused(new UsageSampleReport(sliceId, now, 30, 1, "LICENSED; drop table slice"),
                "licenseState must be one of", "was 'LICENSED; drop table slice'");
        refused(new UsageSampleReport(sliceId, good.sampledAt(), 31, 100, "LICENSED"),
                "samples[1] (slice " + sliceId, "contradicts samples[0]: the same slice and instant with different values");
        refused(new UsageSampleReport(otherHostsSlice, now, 30, 1, null), "slice " + otherHostsSlice + " is not on host " + host);
        refused(new UsageSampleReport(Long.MAX_VALUE, now, 30, 1, null), "there is no slice " + Long.MAX_VALUE);
        refused(new UsageSampleReport(sliceId, now.minus(401, ChronoUnit.DAYS), 30, 1, null),
                "older than the 400 days raw samples are kept");
        assertThatThrownBy(() -> ingestion.ingest(null, host, List.of(good))).isInstanceOf(InvalidUsageException.class)
                .hasMessage("batchId is required");

        assertThat(fixtures.samples(sliceId)).isZero();
        assertThat(fixtures.samples(otherHostsSlice)).isZero();
        assertThat(fixtures.hourlyRows(sliceId)).isZero();
        assertThat(fixtures.count("select count(*) from usage_batch where host_id = ?", host)).isZero();
    }

    /** The bad sample comes second, after a good one, so that a half-written batch would show. */
    private void refused(UsageSampleReport bad, String... reasons) {
        UsageSampleReport good = new UsageSampleReport(sliceId, now.minusSeconds(30), 30, 100, "LICENSED");
        UUID batch = UUID.randomUUID();
        assertThatThrownBy(() -> ingestion.ingest(batch, host, List.of(good, bad)))
                .isInstanceOf(InvalidUsageException.class)
                .hasMessageContainingAll(reasons);
        assertThat(fixtures.batches(batch)).isZero();
    }

    private static <T> List<T> concurrently(int threads, Function<Integer, T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return task.apply(n);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
        finally {
            pool.shutdownNow();
        }
    }
}
