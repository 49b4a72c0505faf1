package io.vgpuhub.metering.usage.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest
class AllocationRollupTests {

    @Autowired
    AllocationRollup rollup;

    @Autowired
    JdbcClient jdbc;

    AllocationFixtures fixtures;

    @BeforeEach
    void fromScratch() {
        fixtures = new AllocationFixtures(jdbc);
        jdbc.sql("delete from metering_watermark where job = ?").param(AllocationRollup.JOB).update();
        jdbc.sql("delete from usage_hourly where slice_id in (select id from slice where vm_name like ?)")
                .param(AllocationFixtures.VM_PREFIX + "%").update();
    }

    @Test
    void splitsAnAllocationIntoItsUtcHoursToTheSecond() {
        long slice = fixtures.released(at("2025-03-04T10:20:30Z"), at("2025-03-04T12:05:00Z"));

        rollup.run(at("2025-03-04T13:00:00Z"));

        // 10:20:30 to 11:00 is 39 min 30 s; 11:00 to 12:00 a whole hour; 12:00 to 12:05 five minutes.
        assertThat(hours(slice)).containsExactly(
                entry(at("2025-03-04T10:00:00Z"), 2370),
                entry(at("2025-03-04T11:00:00Z"), 3600),
                entry(at("2025-03-04T12:00:00Z"), 300));
        assertThat(rollup.allocatedSeconds(slice, at("2025-03-04T00:00:00Z"), at("2025-03-05T00:00:00Z")))
                .isEqualTo(2370 + 3600 + 300);
        assertThat(rollup.allocatedSeconds(slice, at("2025-03-04T11:00:00Z"), at("2025-03-04T12:00:00Z")))
                .isEqualTo(3600);
    }

    @Test
    void cutsFractionsOfASecondOffTheInstantsNotOffEachHour() {
        long slice = fixtures.released(at("2025-03-04T10:20:30.900Z"), at("2025-03-04T12:05:00.700Z"));

        rollup.run(at("2025-03-04T13:00:00Z"));

        // The hours add up to the whole seconds between 10:20:30 and 12:05:00, none lost at the hour boundaries.
        assertThat(hours(slice).values()).containsExactly(2370, 3600, 300);
    }

    @Test
    void writesOnlyAllocatedSecondsAndLeavesTheSampleFiguresAlone() {
        long slice = fixtures.released(at("2025-03-04T10:20:30Z"), at("2025-03-04T10:50:30Z"));
        // Samples arrived first and made the hour's row.
        jdbc.sql("""
                insert into usage_hourly (slice_id, hour, sample_count, utilization_sum, utilization_peak, memory_peak_mib)
                values (?, '2025-03-04T10:00:00Z', 3, 150, 70, 4096)""").param(slice).update();

        rollup.run(at("2025-03-04T13:00:00Z"));

        assertThat(jdbc.sql("""
                select seconds_allocated, sample_count, utilization_sum, utilization_peak, memory_peak_mib
                from usage_hourly where slice_id = ?""").param(slice).query().singleRow())
                .containsEntry("seconds_allocated", 1800).containsEntry("sample_count", 3)
                .containsEntry("utilization_sum", 150L).containsEntry("utilization_peak", 70)
                .containsEntry("memory_peak_mib", 4096);
    }

    @Test
    void insertsNewRowsWithNoSampleFigures() {
        long slice = fixtures.released(at("2025-03-04T10:00:00Z"), at("2025-03-04T10:30:00Z"));

        rollup.run(at("2025-03-04T13:00:00Z"));

        assertThat(jdbc.sql("""
                select sample_count, utilization_sum, utilization_peak, memory_peak_mib from usage_hourly where slice_id = ?""")
                .param(slice).query().singleRow())
                .containsEntry("sample_count", 0).containsEntry("utilization_sum", 0L)
                .containsEntry("utilization_peak", null).containsEntry("memory_peak_mib", null);
    }

    @Test
    void aRunningSliceGrowsOnTheNextRun() {
        long slice = fixtures.ready(at("2025-03-04T10:20:30Z"));

        rollup.run(at("2025-03-04T10:50:00Z"));
        assertThat(hours(slice)).containsExactly(entry(at("2025-03-04T10:00:00Z"), 1770));

        rollup.run(at("2025-03-04T11:10:00Z"));
        assertThat(hours(slice)).containsExactly(
                entry(at("2025-03-04T10:00:00Z"), 2370),
                entry(at("2025-03-04T11:00:00Z"), 600));
    }

    @Test
    void runningAgainAtTheSameInstantChangesNothing() {
        long running = fixtures.ready(at("2025-03-04T10:20:30Z"));
        long released = fixtures.released(at("2025-03-04T08:00:00Z"), at("2025-03-04T09:15:00Z"));
        rollup.run(at("2025-03-04T11:10:00Z"));
        Map<Instant, Integer> first = hours(running);
        Map<Instant, Integer> firstReleased = hours(released);

        int written = rollup.run(at("2025-03-04T11:10:00Z"));

        assertThat(written).isZero();
        assertThat(hours(running)).isEqualTo(first);
        assertThat(hours(released)).isEqualTo(firstReleased).containsExactly(
                entry(at("2025-03-04T08:00:00Z"), 3600),
                entry(at("2025-03-04T09:00:00Z"), 900));
    }

    @Test
    void aSliceReleasedAfterARunGetsItsFinalHourRight() {
        long slice = fixtures.ready(at("2025-03-04T10:20:30Z"));
        rollup.run(at("2025-03-04T11:30:00Z"));
        assertThat(hours(slice)).containsEntry(at("2025-03-04T11:00:00Z"), 1800);

        fixtures.release(slice, at("2025-03-04T11:45:10Z"));
        rollup.run(at("2025-03-04T12:30:00Z"));

        assertThat(hours(slice)).containsExactly(
                entry(at("2025-03-04T10:00:00Z"), 2370),
                entry(at("2025-03-04T11:00:00Z"), 2710));
        // Nothing more on later runs.
        rollup.run(at("2025-03-04T15:30:00Z"));
        assertThat(hours(slice)).hasSize(2);
    }

    @Test
    void aReleaseThatCommittedAfterARunCountedPastItIsTakenBack() {
        // The release is dated 11:45, but its transaction committed after the 11:50 run read the slice as running.
        long slice = fixtures.ready(at("2025-03-04T10:20:30Z"));
        rollup.run(at("2025-03-04T11:50:00Z"));
        assertThat(hours(slice)).containsEntry(at("2025-03-04T11:00:00Z"), 3000);

        fixtures.release(slice, at("2025-03-04T11:45:00Z"));
        rollup.run(at("2025-03-04T11:51:00Z"));

        assertThat(hours(slice)).containsEntry(at("2025-03-04T11:00:00Z"), 2700);
    }

    @Test
    void aReleaseThatCommittedAfterARunInTheNextHourLeavesThatHourEmpty() {
        // Released at 10:59:59, committed after the 11:00:05 run had counted five seconds of hour 11.
        long slice = fixtures.ready(at("2025-03-04T10:20:30Z"));
        rollup.run(at("2025-03-04T11:00:05Z"));
        assertThat(hours(slice)).containsEntry(at("2025-03-04T11:00:00Z"), 5);

        fixtures.release(slice, at("2025-03-04T10:59:59Z"));
        rollup.run(at("2025-03-04T11:01:00Z"));

        assertThat(hours(slice)).containsEntry(at("2025-03-04T10:00:00Z"), 2369)
                .containsEntry(at("2025-03-04T11:00:00Z"), 0);
        assertThat(rollup.allocatedSeconds(slice, at("2025-03-04T00:00:00Z"), at("2025-03-05T00:00:00Z"))).isEqualTo(2369);
    }

    @Test
    void aReadyThatCommittedAfterARunIsPickedUpByTheNext() {
        rollup.run(at("2025-03-04T11:00:00Z"));
        // READY at 10:40, committed only after the 11:00 run.
        long slice = fixtures.ready(at("2025-03-04T10:40:00Z"));

        rollup.run(at("2025-03-04T11:01:00Z"));

        assertThat(hours(slice)).containsExactly(
                entry(at("2025-03-04T10:00:00Z"), 1200),
                entry(at("2025-03-04T11:00:00Z"), 60));
    }

    @Test
    void slicesThatNeverBecameReadyGetNothing() {
        long failed = fixtures.failedInProvisioning();
        long releasedUnready = fixtures.releasedUnready(at("2025-03-04T10:30:00Z"));

        rollup.run(at("2025-03-04T13:00:00Z"));

        assertThat(hours(failed)).isEmpty();
        assertThat(hours(releasedUnready)).isEmpty();
    }

    @Test
    void sliceReadyAfterTheRunsInstantIsLeftForALaterRun() {
        long slice = fixtures.ready(at("2025-03-04T12:10:00Z"));

        rollup.run(at("2025-03-04T12:00:00Z"));
        assertThat(hours(slice)).isEmpty();

        rollup.run(at("2025-03-04T12:20:00Z"));
        assertThat(hours(slice)).containsExactly(entry(at("2025-03-04T12:00:00Z"), 600));
    }

    @Test
    void catchesUpOnEveryHourAfterTheServerWasDownForDays() {
        long running = fixtures.ready(at("2025-03-01T10:20:30Z"));
        rollup.run(at("2025-03-01T11:00:00Z"));
        // Allocated and released entirely while the server was down.
        long whileDown = fixtures.released(at("2025-03-02T03:00:00Z"), at("2025-03-02T05:30:00Z"));

        rollup.run(at("2025-03-04T09:30:00Z"));

        Map<Instant, Integer> hours = hours(running);
        // 10:00..23:00 on the 1st, two whole days, 00:00..09:00 on the 4th.
        assertThat(hours).hasSize(14 + 48 + 10);
        assertThat(hours.get(at("2025-03-01T10:00:00Z"))).isEqualTo(2370);
        assertThat(hours.get(at("2025-03-04T09:00:00Z"))).isEqualTo(1800);
        assertThat(hours.values().stream().filter(s -> s == 3600)).hasSize(70);
        assertThat(hours.values().stream().mapToLong(Integer::longValue).sum())
                .isEqualTo(Duration.between(at("2025-03-01T10:20:30Z"), at("2025-03-04T09:30:00Z")).toSeconds());
        assertThat(hours(whileDown)).containsExactly(
                entry(at("2025-03-02T03:00:00Z"), 3600),
                entry(at("2025-03-02T04:00:00Z"), 3600),
                entry(at("2025-03-02T05:00:00Z"), 1800));
    }

    @Test
    void theWatermarkFollowsTheRunsAndNeverMovesBack() {
        assertThat(rollup.doneUntil()).isEmpty();

        rollup.run(at("2025-03-04T12:00:00Z"));
        assertThat(rollup.doneUntil()).contains(at("2025-03-04T12:00:00Z"));

        rollup.run(at("2025-03-04T11:00:00Z"));
        assertThat(rollup.doneUntil()).contains(at("2025-03-04T12:00:00Z"));
    }

    private Map<Instant, Integer> hours(long sliceId) {
        Map<Instant, Integer> hours = new LinkedHashMap<>();
        jdbc.sql("select hour, seconds_allocated from usage_hourly where slice_id = ? order by hour").param(sliceId)
                .query((rs, row) -> hours.put(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getInt(2))).list();
        return hours;
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }
}
