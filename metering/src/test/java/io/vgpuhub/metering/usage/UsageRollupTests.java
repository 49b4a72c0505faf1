package io.vgpuhub.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The hourly rollup always equals an aggregate recomputed from the raw samples, whatever order batches arrive in. */
@SpringBootTest
class UsageRollupTests {

    @Autowired
    UsageIngestion ingestion;

    @Autowired
    UsageQueries queries;

    @Autowired
    JdbcClient jdbc;

    UsageFixtures fixtures;
    long host;
    Instant hour;

    @BeforeEach
    void aHost() {
        fixtures = new UsageFixtures(jdbc);
        host = fixtures.host();
        hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);
    }

    @Test
    void aLateSampleUpdatesItsHoursRowAndLeavesAllocatedSecondsAlone() {
        long slice = fixtures.slice(host);
        // Allocated seconds are written by another job, possibly before any sample of the hour arrives.
        jdbc.sql("insert into usage_hourly (slice_id, hour, seconds_allocated) values (?, ?, 1800)")
                .params(slice, UsageFixtures.utc(hour)).update();
        ingestion.ingest(UUID.randomUUID(), host, List.of(
                new UsageSampleReport(slice, hour.plusSeconds(60), 20, 1000, null),
                new UsageSampleReport(slice, hour.plusSeconds(120), 40, 3000, null),
                new UsageSampleReport(slice, hour.plusSeconds(3600), 90, 500, null)));

        ingestion.ingest(UUID.randomUUID(), host, List.of(new UsageSampleReport(slice, hour.plusSeconds(90), 60, 4000, null)));

        List<HourlyUsage> rows = queries.hourly(slice, hour, hour.plus(2, ChronoUnit.HOURS));
        assertThat(rows).containsExactly(
                new HourlyUsage(slice, hour, 1800, 3, 40.0, 60, 4000),
                new HourlyUsage(slice, hour.plusSeconds(3600), 0, 1, 90.0, 90, 500));
        assertThat(queries.hourly(slice, hour.plusSeconds(3600), hour.plusSeconds(7200))).as("the period's end is exclusive")
                .hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3 })
    void randomBatchesInAnyOrderResentOverlappingAndConcurrentKeepTheRollupEqualToTheSamples(long seed) throws Exception {
        Random random = new Random(seed);
        List<Long> slices = List.of(fixtures.slice(host), fixtures.slice(host), fixtures.slice(host));
        List<UsageSampleReport> all = new ArrayList<>();
        for (long slice : slices) {
            for (int i = 0; i < 150; i++) {
                all.add(new UsageSampleReport(slice, hour.plusSeconds(random.nextInt(4 * 3600)).plusMillis(random.nextInt(1000)),
                        random.nextInt(101), random.nextInt(40_000), random.nextBoolean() ? "LICENSED" : null));
            }
        }
        // Readings of one instant are one sample; keep the first of any collision.
        Map<String, UsageSampleReport> unique = new java.util.LinkedHashMap<>();
        all.forEach(s -> unique.putIfAbsent(s.sliceId() + "@" + s.sampledAt(), s));
        all = new ArrayList<>(unique.values());

        // Batches in random order (late hours before early ones), each sample in one or two batches, some sent twice.
        Collections.shuffle(all, random);
        List<Map.Entry<UUID, List<UsageSampleReport>>> sends = new ArrayList<>();
        for (int from = 0; from < all.size(); ) {
            int to = Math.min(all.size(), from + 1 + random.nextInt(40));
            List<UsageSampleReport> batch = new ArrayList<>(all.subList(from, to));
            if (random.nextInt(3) == 0) {
                batch.add(all.get(random.nextInt(all.size())));
            }
            UUID id = UUID.randomUUID();
            sends.add(Map.entry(id, batch));
            if (random.nextInt(4) == 0) {
                sends.add(Map.entry(id, batch));
            }
            from = to;
        }
        Collections.shuffle(sends, random);

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<UsageReceipt>> receipts = new ArrayList<>();
            for (var send : sends) {
                receipts.add(pool.submit(() -> ingestion.ingest(send.getKey(), host, send.getValue())));
            }
            int stored = 0;
            for (Future<UsageReceipt> r : receipts) {
                stored += r.get().stored();
            }
            assertThat(stored).as("each sample stored exactly once").isEqualTo(all.size());
        }
        finally {
            pool.shutdownNow();
        }

        long[] ids = slices.stream().mapToLong(Long::longValue).toArray();
        List<Map<String, Object>> recomputed = jdbc.sql("""
                select slice_id, date_trunc('hour', sampled_at, 'UTC') as hour, count(*)::int as sample_count,
                       sum(gpu_utilization_percent)::bigint as utilization_sum,
                       max(gpu_utilization_percent)::smallint as utilization_peak, max(memory_used_mib) as memory_peak_mib
                from usage_sample where slice_id = any(?) group by 1, 2 order by 1, 2
                """).param(ids).query().listOfRows();
        List<Map<String, Object>> rollup = jdbc.sql("""
                select slice_id, hour, sample_count, utilization_sum, utilization_peak, memory_peak_mib
                from usage_hourly where slice_id = any(?) order by 1, 2
                """).param(ids).query().listOfRows();
        assertThat(recomputed).hasSizeGreaterThanOrEqualTo(12);
        assertThat(rollup).isEqualTo(recomputed);
        assertThat(jdbc.sql("select count(*) from usage_sample where slice_id = any(?)").param(ids).query(Long.class).single())
                .isEqualTo(all.size());
    }
}
