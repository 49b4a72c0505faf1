package io.vgpuhub.metering.usage;

import static io.vgpuhub.metering.SqlTime.instant;
import static io.vgpuhub.metering.SqlTime.utc;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** What metering knows of a slice's usage: its latest raw sample, and its hourly rollup over a period. */
@Service
public class UsageQueries {

    private final JdbcClient jdbc;

    UsageQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest sample of each of these slices that has one. */
    public Map<Long, UsageSampleView> latestFor(Collection<Long> sliceIds) {
        if (sliceIds.isEmpty()) {
            return Map.of();
        }
        // One index probe per slice and partition (newest first), rather than reading every sample of the slices.
        return jdbc.sql("""
                select u.* from unnest(?::bigint[]) as ids (id)
                cross join lateral (select * from usage_sample where slice_id = ids.id order by sampled_at desc limit 1) u
                """).param(sliceIds.stream().mapToLong(Long::longValue).distinct().toArray())
                .query((rs, n) -> new UsageSampleView(rs.getLong("slice_id"), instant(rs, "sampled_at"),
                        rs.getInt("gpu_utilization_percent"), rs.getInt("memory_used_mib"), rs.getString("license_state"),
                        instant(rs, "received_at")))
                .list().stream().collect(Collectors.toMap(UsageSampleView::sliceId, Function.identity()));
    }

    /** The slice's hourly rows whose hour starts in [from, to), oldest first; hours without a row are left out. */
    public List<HourlyUsage> hourly(long sliceId, Instant from, Instant to) {
        return jdbc.sql("""
                select slice_id, hour, seconds_allocated, sample_count, utilization_sum, utilization_peak, memory_peak_mib
                from usage_hourly where slice_id = ? and hour >= ? and hour < ? order by hour
                """).params(sliceId, utc(from), utc(to))
                .query((rs, n) -> {
                    int samples = rs.getInt("sample_count");
                    return new HourlyUsage(rs.getLong("slice_id"), instant(rs, "hour"), rs.getInt("seconds_allocated"),
                            samples, samples == 0 ? null : rs.getLong("utilization_sum") / (double) samples,
                            rs.getObject("utilization_peak", Integer.class), rs.getObject("memory_peak_mib", Integer.class));
                })
                .list();
    }
}
