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
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/** The announcement of a stored batch, which the server turns into its ingest rate and lag metrics. */
@SpringBootTest
@RecordApplicationEvents
class UsageBatchStoredTests {

    @Autowired
    UsageIngestion ingestion;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApplicationEvents events;

    long host;
    long sliceId;
    Instant now;

    @BeforeEach
    void aReadySlice() {
        UsageFixtures fixtures = new UsageFixtures(jdbc);
        host = fixtures.host();
        sliceId = fixtures.slice(host);
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void aBatchThatStoresSamplesIsAnnouncedWithItsCountAndNewestSample() {
        UUID batch = UUID.randomUUID();
        ingestion.ingest(batch, host, List.of(
                new UsageSampleReport(sliceId, now.minusSeconds(30), 10, 100, null),
                new UsageSampleReport(sliceId, now.minusSeconds(10), 20, 200, null),
                new UsageSampleReport(sliceId, now.minusSeconds(20), 30, 300, null)));

        assertThat(events.stream(UsageBatchStored.class))
                .containsExactly(new UsageBatchStored(batch, host, 3, now.minusSeconds(10)));
    }

    @Test
    void aBatchSentAgainOrHoldingOnlyStoredSamplesIsNotAnnounced() {
        UUID batch = UUID.randomUUID();
        List<UsageSampleReport> samples = List.of(new UsageSampleReport(sliceId, now.minusSeconds(5), 12, 512, null));
        ingestion.ingest(batch, host, samples);
        ingestion.ingest(batch, host, samples);
        ingestion.ingest(UUID.randomUUID(), host, samples);

        assertThat(events.stream(UsageBatchStored.class)).singleElement()
                .extracting(UsageBatchStored::stored).isEqualTo(1);
    }

    @Test
    void aRefusedBatchIsNotAnnounced() {
        assertThatThrownBy(() -> ingestion.ingest(UUID.randomUUID(), host,
                List.of(new UsageSampleReport(sliceId, now, 101, 0, null))))
                .isInstanceOf(InvalidUsageException.class);

        assertThat(events.stream(UsageBatchStored.class)).isEmpty();
    }
}
