package io.vgpuhub.metering.usage;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One usage reading of one slice, as its host agent measured it. */
@Entity
@Table(name = "usage_sample")
class UsageSample {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "slice_id", nullable = false)
    private long sliceId;

    @Column(name = "batch_id", nullable = false)
    private UUID batchId;

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
