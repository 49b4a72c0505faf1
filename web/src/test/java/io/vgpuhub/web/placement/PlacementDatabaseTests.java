package io.vgpuhub.web.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The placement rules through the real request path: rows in PostgreSQL in, a placed slice row (or a refusal) out. */
@PlacementIntegrationTest
class PlacementDatabaseTests {

    @Autowired
    SliceRequests requests;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    TestCluster cluster;
    Requester tenant;

    @BeforeEach
    void cleanCluster() {
        cluster = new TestCluster(jdbc);
        cluster.wipe();
        tenant = cluster.tenant("Placement", null, null);
    }

    @AfterEach
    void wipe() {
        cluster.wipe();
    }

    private SliceView request(String offering) {
        return requests.request(tenant, cluster.offering(offering), "vm-1", 1).get(0);
    }

    private void refused(String offering) {
        assertThatThrownBy(() -> request(offering)).isInstanceOf(NoCapacityException.class)
                .hasMessage("No free capacity for " + offering + " right now. Try again later or choose another offering.");
    }

    private Row row(SliceView slice) {
        return jdbc.sql("select gpu_id, vf_id, mig_start_slot, mig_size from slice where uuid = ?").param(slice.uuid())
                .query(Row.class).single();
    }

    record Row(Long gpuId, Long vfId, Integer migStartSlot, Integer migSize) {
    }

    @Test
    void aDrainingHostGetsNothing() {
        long host = cluster.host("DRAINING", true);
        cluster.gpu(host, "A40", "VGPU", 16);
        refused("A40-8Q");
        jdbc.sql("update host set state = 'ONLINE' where id = ?").param(host).update();
        assertThat(request("A40-8Q").hostName()).startsWith("pt-host-");
    }

    @Test
    void aHostWhoseAgentStoppedReportingGetsNothing() {
        cluster.gpu(cluster.host("ONLINE", false), "A40", "VGPU", 16);
        cluster.gpu(cluster.host("OFFLINE", true), "A40", "VGPU", 16);
        refused("A40-8Q");
    }

    @Test
    void eachVgpuOnAnSriovGpuGetsItsOwnVirtualFunction() {
        long gpu = cluster.gpu(cluster.host(), "A40", "VGPU", 3);
        List<SliceView> three = requests.request(tenant, cluster.offering("A40-4Q"), "vm-1", 3);
        assertThat(three).extracting(SliceView::vfPciAddress).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(three).extracting(s -> row(s).gpuId()).containsOnly(gpu);
        refused("A40-4Q");
    }

    @Test
    void aT4CarriesItsVgpusWithoutVirtualFunctions() {
        long t4 = cluster.gpu(cluster.host(), "T4", "VGPU", 0);
        SliceView first = request("T4-8Q");
        assertThat(row(first)).isEqualTo(new Row(t4, null, null, null));
        request("T4-8Q");
        refused("T4-8Q");
    }

    @Test
    void aGpuRunsOneVgpuTypeUntilItsLastSliceIsReleased() {
        cluster.gpu(cluster.host(), "A40", "VGPU", 16);
        SliceView eightQ = request("A40-8Q");
        refused("A40-4Q");
        cluster.setState(eightQ.uuid(), "RELEASED");
        request("A40-4Q");
    }

    @Test
    void discoveredMaxInstancesOverrideTheSeed() {
        long reportsTwo = cluster.gpu(cluster.host(), "A40", "VGPU", 16);
        cluster.discoveredVgpuType(reportsTwo, "A40-8Q", 2);
        long reportsOtherTypes = cluster.gpu(cluster.host(), "A40", "VGPU", 16);
        cluster.discoveredVgpuType(reportsOtherTypes, "A40-4Q", 12);
        assertThat(requests.request(tenant, cluster.offering("A40-8Q"), "vm-1", 2))
                .extracting(s -> row(s).gpuId()).containsOnly(reportsTwo);
        refused("A40-8Q");
        request("A40-4Q");
    }

    @Test
    void aFailedSliceHoldsItsPlaceUntilItIsReleased() {
        cluster.gpu(cluster.host(), "A40", "PASSTHROUGH", 0);
        SliceView whole = request("A40 whole GPU");
        cluster.setState(whole.uuid(), "FAILED");
        refused("A40 whole GPU");
        cluster.setState(whole.uuid(), "RELEASED");
        request("A40 whole GPU");
    }

    @Test
    void passthroughNeedsAnEmptyGpuInPassthroughMode() {
        long vgpuMode = cluster.gpu(cluster.host(), "A40", "VGPU", 16);
        refused("A40 whole GPU");
        long passthrough = cluster.gpu(cluster.host(), "A40", "PASSTHROUGH", 0);
        assertThat(row(request("A40 whole GPU"))).isEqualTo(new Row(passthrough, null, null, null));
        refused("A40 whole GPU");
        assertThat(vgpuMode).isNotEqualTo(passthrough);
    }

    @Test
    void migSlicesLandAtTheirAllowedSlotsAndNeverOverlap() {
        long gpu = cluster.gpu(cluster.host(), "A100-40GB", "MIG", 0);
        assertThat(row(request("A100-40GB 1g.5gb"))).isEqualTo(new Row(gpu, null, 6, 1));
        assertThat(row(request("A100-40GB 3g.20gb"))).isEqualTo(new Row(gpu, null, 0, 4));
        assertThat(row(request("A100-40GB 2g.10gb"))).isEqualTo(new Row(gpu, null, 4, 2));
        refused("A100-40GB 2g.10gb");
        refused("A100-40GB 7g.40gb");
        // Memory slice 7 is still free, but no profile may start there.
        refused("A100-40GB 1g.5gb");
    }

    @Test
    void theA30HasFourMemorySlices() {
        long gpu = cluster.gpu(cluster.host(), "A30", "MIG", 0);
        List<SliceView> four = requests.request(tenant, cluster.offering("A30 1g.6gb"), "vm-1", 4);
        assertThat(four).extracting(s -> row(s).migStartSlot()).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(four).extracting(s -> row(s).gpuId()).containsOnly(gpu);
        refused("A30 1g.6gb");
    }

    @Test
    void discoveredMigProfilesOverrideTheSeed() {
        long gpu = cluster.gpu(cluster.host(), "A100-40GB", "MIG", 0);
        cluster.discoveredMigProfile(gpu, "1g.5gb", 1, "{0,1,2,3,4,5,6}", 2);
        cluster.discoveredMigProfile(gpu, "7g.40gb", 8, "{0}", 1);
        requests.request(tenant, cluster.offering("A100-40GB 1g.5gb"), "vm-1", 2);
        refused("A100-40GB 1g.5gb");
        refused("A100-40GB 3g.20gb");
    }

    @Test
    void aRequestForSeveralSlicesIsAllOrNothing() {
        cluster.gpu(cluster.host(), "A40", "VGPU", 2);
        long before = cluster.allSlicesAndEvents();
        assertThatThrownBy(() -> requests.request(tenant, cluster.offering("A40-8Q"), "vm-1", 3))
                .isInstanceOf(NoCapacityException.class)
                .hasMessageStartingWith("Only 2 of the 3 A40-8Q slices fit right now, so none were reserved.");
        assertThat(cluster.allSlicesAndEvents()).isEqualTo(before);
        assertThat(requests.request(tenant, cluster.offering("A40-8Q"), "vm-1", 2)).hasSize(2);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        cluster.gpu(cluster.host(), "A40", "VGPU", 16);
        long offering = cluster.offering("A40-8Q");
        long before = cluster.allSlicesAndEvents();
        assertThatIllegalArgumentException().isThrownBy(() -> requests.request(tenant, offering, "../etc/passwd", 1))
                .withMessageContaining("VM name");
        assertThatIllegalArgumentException().isThrownBy(() -> requests.request(tenant, offering, "vm-1", 0));
        assertThatIllegalArgumentException().isThrownBy(() -> requests.request(tenant, offering, "vm-1", 65));
        assertThatIllegalArgumentException().isThrownBy(() -> requests.request(tenant, 999_999, "vm-1", 1))
                .withMessageContaining("does not exist");
        assertThat(cluster.allSlicesAndEvents()).isEqualTo(before);
    }

    @Test
    void aSecondRequestWaitsForTheGpuItWantsAndThenSeesItTaken() throws Exception {
        cluster.gpu(cluster.host(), "A40", "PASSTHROUGH", 0);
        long offering = cluster.offering("A40 whole GPU");
        CountDownLatch placedButNotCommitted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            requests.request(tenant, offering, "vm-first", 1);
            placedButNotCommitted.countDown();
            await(commit);
        }));
        assertThat(placedButNotCommitted.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<SliceView>> second = CompletableFuture.supplyAsync(
                () -> requests.request(tenant, offering, "vm-second", 1));
        // The second request reads the GPU as empty (the first has not committed) and must wait for its lock.
        for (int i = 0; i < 100 && waitingForLocks() == 0; i++) {
            Thread.sleep(50);
        }
        assertThat(waitingForLocks()).isEqualTo(1);
        commit.countDown();
        first.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoCapacityException.class);
        assertThat(cluster.liveSlices()).isEqualTo(1);
    }

    private long waitingForLocks() {
        return jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'").query(Long.class).single();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
