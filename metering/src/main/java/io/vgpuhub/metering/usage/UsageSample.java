package io.vgpuhub.metering.usage;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One usage reading of one slice, as its host agent measured it. */
@Entity
@Table(name = "usage_sample")
@IdClass(UsageSample.Key.class)
class UsageSample {

    /** A sample is known by its slice and its instant, the table's primary key. */
    record Key(long sliceId, Instant sampledAt) implements java.io.Serializable {
    }

    @Id
    @Column(name = "slice_id", nullable = false)
    private long sliceId;

    @Column(name = "batch_id", nullable = false)
    private UUID batchId;

    @Id
    @Column(name = "sampled_at", nullable = false)
    private Instant sampledAt;

    @Column(name = "gpu_utilization_percent", nullable = false)
    private short gpuUtilizationPercent;

    @Column(name = "memory_used_mib", nullable = false)
    private int memoryUsedMib;

    @Column(name = "license_state")
    private String licenseState;

    @Column(name = "received_at", nullable = false, insertable = false, updatable = false)
    private Instant receivedAt;

    protected UsageSample() {
    }

    UsageSampleView view() {
        return new UsageSampleView(sliceId, sampledAt, gpuUtilizationPercent, memoryUsedMib, licenseState, receivedAt);
    }
}
