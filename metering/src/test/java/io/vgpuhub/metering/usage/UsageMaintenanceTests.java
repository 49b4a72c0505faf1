package io.vgpuhub.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Month partitions made ahead and on demand; old months dropped whole, their rollups kept. */
@SpringBootTest
class UsageMaintenanceTests {

    @Autowired
    UsageMaintenance maintenance;

    @Autowired
    UsageIngestion ingestion;

    @Autowired
    UsagePartitions partitions;

    @Autowired
    JdbcClient jdbc;

    UsageFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new UsageFixtures(jdbc);
    }

    @Test
    void makesThisMonthsPartitionAndTheNextThreeAhead() {
        Instant future = Instant.parse("2031-11-15T12:00:00Z");

        maintenance.createPartitionsAhead(future);

        assertThat(partitions.existing()).contains(YearMonth.of(2031, 11), YearMonth.of(2031, 12), YearMonth.of(2032, 1),
                YearMonth.of(2032, 2)).doesNotContain(YearMonth.of(2032, 3), YearMonth.of(2031, 10));
        assertThat(bounds("usage_sample_y2031m12")).isEqualTo(
                "FOR VALUES FROM ('2031-12-01 00:00:00+00') TO ('2032-01-01 00:00:00+00')");
        maintenance.createPartitionsAhead(future);
        assertThat(partitions.existing()).filteredOn(m -> m.getYear() >= 2031).hasSize(4);
    }

    @Test
    void aLateSampleOfAMonthWithoutPartitionGetsOneOnDemand() {
        Instant now = Instant.now();
        long host = fixtures.host();
        long slice = fixtures.slice(host, now.minus(300, ChronoUnit.DAYS));
        Instant late = now.minus(200, ChronoUnit.DAYS);
        YearMonth month = UsagePartitions.monthOf(late);
        assertThat(partitions.existing()).as("only months from the migration on exist").doesNotContain(month);

        UsageReceipt receipt = ingestion.ingest(UUID.randomUUID(), host, List.of(
                new UsageSampleReport(slice, late, 50, 100, null), new UsageSampleReport(slice, now, 60, 100, null)));

        assertThat(receipt.stored()).isEqualTo(2);
        assertThat(partitions.existing()).contains(month);
        assertThat(jdbc.sql("select count(*) from " + UsagePartitions.name(month) + " where slice_id = ?").param(slice)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void retentionDropsMonthsWhollyOlderThanTheRetentionAndKeepsRollupsAndNewerMonths() {
        Instant now = Instant.now();
        Instant cutoff = now.minus(400, ChronoUnit.DAYS);
        // The month holding the cutoff keeps its partition; the one before lies wholly before it and goes.
        YearMonth kept = UsagePartitions.monthOf(cutoff);
        YearMonth expired = kept.minusMonths(1);
        YearMonth older = kept.minusMonths(5);
        partitions.ensure(List.of(older, expired, kept));
        long host = fixtures.host();
        long slice = fixtures.slice(host, now.minus(1000, ChronoUnit.DAYS));
        UUID oldBatch = UUID.randomUUID();
        UUID newBatch = UUID.randomUUID();
        jdbc.sql("insert into usage_batch (batch_id, host_id, sample_count, received_at) values (?, ?, 2, ?), (?, ?, 1, ?)")
                .params(oldBatch, host, UsageFixtures.utc(cutoff.minusSeconds(60)),
                        newBatch, host, UsageFixtures.utc(cutoff.plusSeconds(60)))
                .update();
        Instant lastOfExpired = UsagePartitions.start(kept).minusSeconds(1);
        Instant firstOfKept = UsagePartitions.start(kept);
        for (Instant at : List.of(lastOfExpired, UsagePartitions.start(older), firstOfKept)) {
            jdbc.sql("""
                    insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib)
                    values (?, ?, ?, 10, 10)
                    """).params(slice, oldBatch, UsageFixtures.utc(at)).update();
        }
        Instant hourOfExpired = lastOfExpired.truncatedTo(ChronoUnit.HOURS);
        jdbc.sql("""
                insert into usage_hourly (slice_id, hour, sample_count, utilization_sum, utilization_peak, memory_peak_mib)
                values (?, ?, 1, 10, 10, 10)
                """).params(slice, UsageFixtures.utc(hourOfExpired)).update();

        List<YearMonth> dropped = maintenance.applyRetention(now);

        assertThat(dropped).contains(older, expired).doesNotContain(kept);
        assertThat(partitions.existing()).doesNotContain(older, expired).contains(kept, UsagePartitions.monthOf(Instant.now()));
        assertThat(jdbc.sql("select to_regclass(?)::text").param(UsagePartitions.name(expired)).query(String.class).optional())
                .isEmpty();
        assertThat(jdbc.sql("select sampled_at from usage_sample where slice_id = ?").param(slice)
                .query(java.time.OffsetDateTime.class).list())
                .containsExactly(firstOfKept.atOffset(ZoneOffset.UTC));
        assertThat(fixtures.hourlyRows(slice)).as("rollups are kept").isEqualTo(1);
        assertThat(fixtures.batches(oldBatch)).isZero();
        assertThat(fixtures.batches(newBatch)).isOne();

        assertThat(maintenance.applyRetention(now)).as("nothing left to drop").isEmpty();
    }

    private String bounds(String partition) {
        return jdbc.sql("select pg_get_expr(relpartbound, oid) from pg_class where relname = ?").param(partition)
                .query(String.class).single();
    }
}
