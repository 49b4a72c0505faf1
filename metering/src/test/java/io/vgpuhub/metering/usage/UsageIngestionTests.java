package io.vgpuhub.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

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
    JdbcClient jdbc;

    long sliceId;

    @BeforeEach
    void aReadySlice() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        long tenant = insert("insert into tenant (name) values (?) returning id", "t-" + suffix);
        long user = insert("insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, 'U', ?)"
                + " returning id", tenant, "u-" + suffix, "$2a$10$abcdefghijklmnopqrstuv");
        long offering = insert("insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib,"
                + " max_instances_per_gpu, license_edition) values (?, 'VGPU', 'A40', 'A40-8Q', 8192, 6, 'VWS') returning id",
                "A40-8Q-" + suffix);
        sliceId = insert("insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state)"
                + " values (?, ?, ?, ?, 'VGPU', 'vm1', 'REQUESTED') returning id", UUID.randomUUID(), tenant, user, offering);
    }

    @Test
    void storesEverySampleOfABatch() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int stored = ingestion.ingest(UUID.randomUUID(), List.of(
                new UsageSampleReport(sliceId, t.minusSeconds(10), 40, 1024, null),
                new UsageSampleReport(sliceId, t, 55, 2048, "LICENSED")));

        assertThat(stored).isEqualTo(2);
        UsageSampleView latest = ingestion.latestFor(List.of(sliceId)).get(sliceId);
        assertThat(latest.sampledAt()).isEqualTo(t);
        assertThat(latest.gpuUtilizationPercent()).isEqualTo(55);
        assertThat(latest.memoryUsedMib()).isEqualTo(2048);
        assertThat(latest.licenseState()).isEqualTo("LICENSED");
    }

    @Test
    void countsABatchSentAgainOnlyOnce() {
        UUID batch = UUID.randomUUID();
        List<UsageSampleReport> samples = List.of(new UsageSampleReport(sliceId, Instant.now().minusSeconds(5), 12, 512, null));

        ingestion.ingest(batch, samples);
        int second = ingestion.ingest(batch, samples);

        assertThat(second).isZero();
        assertThat(ingestion.countFor(sliceId)).isEqualTo(1);
    }

    @Test
    void rejectsTheWholeBatchWhenOneSampleIsInvalidAndStoresNothing() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> ingestion.ingest(UUID.randomUUID(), List.of(
                new UsageSampleReport(sliceId, now.minusSeconds(1), 30, 100, null),
                new UsageSampleReport(sliceId, now, 101, 100, null))))
                .isInstanceOf(InvalidUsageException.class)
                .hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> ingestion.ingest(UUID.randomUUID(), List.of(
                new UsageSampleReport(sliceId, now, 30, -1, null))))
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> ingestion.ingest(UUID.randomUUID(), List.of(
                new UsageSampleReport(sliceId, now.plusSeconds(3600), 30, 1, null))))
                .hasMessageContaining("in the future");
        assertThatThrownBy(() -> ingestion.ingest(UUID.randomUUID(), List.of(
                new UsageSampleReport(sliceId, now, 30, 1, "LICENSED; drop table slice"))))
                .hasMessageContaining("licenseState must be one of");

        assertThat(ingestion.countFor(sliceId)).isZero();
    }

    private long insert(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }
}
