package io.vgpuhub.metering.usage;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes a checked batch in one SQL statement, which PostgreSQL runs as one transaction: it claims the batch id, inserts
 * the samples passed as arrays (unnest), and adds exactly the rows it inserted to the hourly rollup. A batch id already
 * claimed inserts nothing; a concurrent copy of the same batch waits on the claim and then finds it taken. A sample
 * already stored (same slice and instant) is skipped and so never counted twice in the rollup.
 */
@Component
class UsageWriter {

    private static final String WRITE = """
            with batch as (
                insert into usage_batch (batch_id, host_id, sample_count) values (?, ?, ?)
                on conflict (batch_id) do nothing
                returning batch_id
            ), new_rows as (
                insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib,
                                          license_state)
                select s.slice_id, b.batch_id, s.sampled_at, s.utilization, s.memory, s.license_state
                from batch b,
                     unnest(?::bigint[], ?::timestamptz[], ?::smallint[], ?::integer[], ?::text[])
                         as s (slice_id, sampled_at, utilization, memory, license_state)
                order by s.slice_id, s.sampled_at
                on conflict (slice_id, sampled_at) do nothing
                returning slice_id, sampled_at, gpu_utilization_percent, memory_used_mib
            ), rollup as (
                insert into usage_hourly (slice_id, hour, sample_count, utilization_sum, utilization_peak, memory_peak_mib)
                select slice_id, date_trunc('hour', sampled_at, 'UTC'), count(*), sum(gpu_utilization_percent),
                       max(gpu_utilization_percent), max(memory_used_mib)
                from new_rows
                group by 1, 2
                order by 1, 2
                on conflict (slice_id, hour) do update set
                    sample_count     = usage_hourly.sample_count + excluded.sample_count,
                    utilization_sum  = usage_hourly.utilization_sum + excluded.utilization_sum,
                    utilization_peak = greatest(usage_hourly.utilization_peak, excluded.utilization_peak),
                    memory_peak_mib  = greatest(usage_hourly.memory_peak_mib, excluded.memory_peak_mib)
                returning 1
            )
            select (select count(*) from batch) as claimed, (select count(*) from new_rows) as stored
            """;

    private record Written(boolean claimed, int stored) {
    }

    private final JdbcClient jdbc;

    UsageWriter(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param samples distinct, checked, ordered by slice and time (rows are locked in that order) */
    UsageReceipt write(UUID batchId, long hostId, int sent, List<UsageSampleReport> samples) {
        int n = samples.size();
        long[] sliceIds = new long[n];
        String[] sampledAt = new String[n];
        short[] utilization = new short[n];
        int[] memory = new int[n];
        String[] licenseStates = new String[n];
        for (int i = 0; i < n; i++) {
            UsageSampleReport s = samples.get(i);
            sliceIds[i] = s.sliceId();
            sampledAt[i] = s.sampledAt().toString();
            utilization[i] = (short) s.gpuUtilizationPercent();
            memory[i] = s.memoryUsedMib();
            licenseStates[i] = s.licenseState();
        }
        Written written = jdbc.sql(WRITE)
                .params(batchId, hostId, sent, sliceIds, sampledAt, utilization, memory, licenseStates)
                .query((rs, row) -> new Written(rs.getLong("claimed") == 1, rs.getInt("stored")))
                .single();
        return new UsageReceipt(batchId, sent, written.stored(), !written.claimed());
    }
}
