package io.vgpuhub.metering.usage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface UsageSampleRepository extends JpaRepository<UsageSample, UsageSample.Key> {

    /** A sample the agent sends again (a retried batch) is already there and is skipped, not counted twice. */
    @Modifying
    @Query(value = """
            insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib,
                                      license_state)
            values (:sliceId, :batchId, :sampledAt, :utilization, :memoryUsedMib, :licenseState)
            on conflict (slice_id, sampled_at) do nothing
            """, nativeQuery = true)
    int insertIfAbsent(@Param("sliceId") long sliceId, @Param("batchId") UUID batchId,
            @Param("sampledAt") Instant sampledAt, @Param("utilization") int utilization,
            @Param("memoryUsedMib") int memoryUsedMib, @Param("licenseState") String licenseState);

    @Query(value = """
            select distinct on (slice_id) * from usage_sample
            where slice_id in (:sliceIds)
            order by slice_id, sampled_at desc
            """, nativeQuery = true)
    List<UsageSample> findLatestForSlices(@Param("sliceIds") Collection<Long> sliceIds);

    long countBySliceId(long sliceId);
}
