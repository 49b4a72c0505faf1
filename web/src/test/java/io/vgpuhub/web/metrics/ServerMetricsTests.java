package io.vgpuhub.web.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.metering.usage.UsageIngestion;
import io.vgpuhub.metering.usage.UsageSampleReport;
import io.vgpuhub.web.placement.TestCluster;
import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Every metric the README lists is scraped, and moves when what it measures changes. */
@MetricsTest
class ServerMetricsTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ClusterGauges gauges;

    @Autowired
    SliceRequests requests;

    @Autowired
    UsageIngestion ingestion;

    TestCluster cluster;
    Requester tenant;

    @BeforeEach
    void cluster() {
        cluster = new TestCluster(jdbc);
        tenant = cluster.tenant("metrics-" + UUID.randomUUID(), null, null);
    }

    @Test
    void everyListedMetricIsScraped() throws Exception {
        Scrape scrape = scrape();

        for (String family : List.of("vgpuhub_slices", "vgpuhub_offering_free_slices", "vgpuhub_license_seats",
                "vgpuhub_agents", "vgpuhub_placement_seconds_count", "vgpuhub_placement_seconds_sum",
                "vgpuhub_placement_seconds_bucket", "vgpuhub_usage_samples_ingested_total",
                "vgpuhub_usage_ingest_lag_seconds")) {
            assertThat(scrape.find(family)).as(family).isNotEmpty();
        }
        assertThat(scrape.find("vgpuhub_slices", "offering", "A40-8Q")).extracting(s -> s.labels().get("state"))
                .containsExactlyInAnyOrderElementsOf(ClusterGauges.LIVE_STATES);
        assertThat(scrape.find("vgpuhub_license_seats", "edition", "VWS")).extracting(s -> s.labels().get("status"))
                .containsExactlyInAnyOrder("used", "free");
        assertThat(scrape.find("vgpuhub_agents")).extracting(s -> s.labels().get("state"))
                .containsExactlyInAnyOrder("online", "offline", "draining");
        assertThat(scrape.find("vgpuhub_placement_seconds_bucket", "outcome", "placed", "le", "0.1")).hasSize(1);
    }

    @Test
    void aRequestedSliceMovesTheSliceCountFreeCapacitySeatsAndThePlacementTimer() throws Exception {
        long host = cluster.host();
        cluster.gpu(host, "A40", "VGPU", 4);
        Scrape before = scrape();

        requests.request(tenant, cluster.offering("A40-8Q"), "metrics-vm", 1);
        Scrape after = scrape();

        assertThat(after.value("vgpuhub_slices", "state", "PLACED", "offering", "A40-8Q"))
                .isEqualTo(before.value("vgpuhub_slices", "state", "PLACED", "offering", "A40-8Q") + 1);
        assertThat(after.value("vgpuhub_offering_free_slices", "offering", "A40-8Q"))
                .isEqualTo(before.value("vgpuhub_offering_free_slices", "offering", "A40-8Q") - 1);
        assertThat(after.value("vgpuhub_license_seats", "edition", "VWS", "status", "used"))
                .isEqualTo(before.value("vgpuhub_license_seats", "edition", "VWS", "status", "used") + 1);
        assertThat(after.value("vgpuhub_license_seats", "edition", "VWS", "status", "free"))
                .isEqualTo(before.value("vgpuhub_license_seats", "edition", "VWS", "status", "free") - 1);
        assertThat(after.value("vgpuhub_placement_seconds_count", "outcome", "placed"))
                .isEqualTo(before.value("vgpuhub_placement_seconds_count", "outcome", "placed") + 1);
        assertThat(after.value("vgpuhub_placement_seconds_sum", "outcome", "placed"))
                .isGreaterThan(before.value("vgpuhub_placement_seconds_sum", "outcome", "placed"));
    }

    @Test
    void aRefusedPlacementIsTimedAsRefused() throws Exception {
        Scrape before = scrape();

        // No L40S in this database's cluster.
        assertThatThrownBy(() -> requests.request(tenant, cluster.offering("L40S-8Q"), "metrics-none", 1))
                .isInstanceOf(NoCapacityException.class);

        Scrape after = scrape();
        assertThat(after.value("vgpuhub_placement_seconds_count", "outcome", "refused"))
                .isEqualTo(before.value("vgpuhub_placement_seconds_count", "outcome", "refused") + 1);
        assertThat(after.value("vgpuhub_placement_seconds_count", "outcome", "placed"))
                .isEqualTo(before.value("vgpuhub_placement_seconds_count", "outcome", "placed"));
    }

    @Test
    void anIngestedBatchCountsItsNewSamplesAndSetsTheLag() throws Exception {
        cluster.gpu(cluster.host(), "A40", "VGPU", 4);
        long sliceId = requests.request(tenant, cluster.offering("A40-8Q"), "metrics-usage", 1).get(0).id();
        // Placement packs: the slice may land on an earlier test's GPU.
        long host = jdbc.sql("select g.host_id from slice s join gpu g on g.id = s.gpu_id where s.id = ?").param(sliceId)
                .query(Long.class).single();
        Instant newest = Instant.now().minusSeconds(40).truncatedTo(ChronoUnit.SECONDS);
        List<UsageSampleReport> samples = List.of(
                new UsageSampleReport(sliceId, newest.minusSeconds(20), 10, 100, null),
                new UsageSampleReport(sliceId, newest, 20, 200, null));
        double ingestedBefore = scrape().value("vgpuhub_usage_samples_ingested_total");

        ingestion.ingest(UUID.randomUUID(), host, samples);
        Scrape after = scrape();
        // The same samples again in another batch store nothing and count nothing.
        ingestion.ingest(UUID.randomUUID(), host, samples);
        Scrape again = scrape();

        assertThat(after.value("vgpuhub_usage_samples_ingested_total")).isEqualTo(ingestedBefore + 2);
        assertThat(again.value("vgpuhub_usage_samples_ingested_total")).isEqualTo(ingestedBefore + 2);
        assertThat(after.value("vgpuhub_usage_ingest_lag_seconds")).isCloseTo(40, within(10.0));
    }

    @Test
    void aHostWhoseAgentFallsSilentCountsAsOfflineAndADrainedOneAsDraining() throws Exception {
        long host = cluster.host();
        Scrape before = scrape();

        jdbc.sql("update host set last_seen_at = now() - interval '1 hour' where id = ?").param(host).update();
        Scrape silent = scrape();
        jdbc.sql("update host set state = 'DRAINING' where id = ?").param(host).update();
        Scrape draining = scrape();

        assertThat(silent.value("vgpuhub_agents", "state", "online")).isEqualTo(before.value("vgpuhub_agents", "state", "online") - 1);
        assertThat(silent.value("vgpuhub_agents", "state", "offline")).isEqualTo(before.value("vgpuhub_agents", "state", "offline") + 1);
        assertThat(draining.value("vgpuhub_agents", "state", "offline")).isEqualTo(before.value("vgpuhub_agents", "state", "offline"));
        assertThat(draining.value("vgpuhub_agents", "state", "draining")).isEqualTo(before.value("vgpuhub_agents", "state", "draining") + 1);
    }

    /** A refresh, as the schedule would run it, then a scrape as Prometheus makes it. */
    private Scrape scrape() throws Exception {
        gauges.refresh();
        String text = mvc.perform(get("/actuator/prometheus").with(httpBasic("olivia", "demo")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return new Scrape(text);
    }
}
