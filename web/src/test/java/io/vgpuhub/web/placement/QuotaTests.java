package io.vgpuhub.web.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.vgpuhub.web.slice.QuotaExceededException;
import io.vgpuhub.web.slice.QuotaUse;
import io.vgpuhub.web.slice.Quotas;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Tenant quotas on live slices and their framebuffer, checked in the request's transaction. */
@PlacementIntegrationTest
class QuotaTests {

    @Autowired
    SliceRequests requests;

    @Autowired
    Quotas quotas;

    @Autowired
    JdbcClient jdbc;

    TestCluster cluster;
    long a40_8Q;

    @BeforeEach
    void roomyCluster() {
        cluster = new TestCluster(jdbc);
        cluster.wipe();
        long host = cluster.host();
        cluster.gpu(host, "A40", "VGPU", 16);
        cluster.gpu(host, "A40", "VGPU", 16);
        cluster.gpu(host, "A40", "VGPU", 16);
        cluster.gpu(host, "A40", "VGPU", 16);
        a40_8Q = cluster.offering("A40-8Q");
    }

    @AfterEach
    void wipe() {
        cluster.wipe();
    }

    @Test
    void aTenantAtItsSliceQuotaIsRefusedAndNothingIsWritten() {
        Requester tenant = cluster.tenant("Two-Slices", 2, null);
        SliceView placed = requests.request(tenant, a40_8Q, "vm-1", 1).get(0);
        SliceView failed = requests.request(tenant, a40_8Q, "vm-2", 1).get(0);
        cluster.setState(failed.uuid(), "FAILED");
        long before = cluster.allSlicesAndEvents();

        assertThatThrownBy(() -> requests.request(tenant, a40_8Q, "vm-3", 1))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo(QuotaExceededException.Limit.SLICES);
                    assertThat(e.allowed()).isEqualTo(2);
                    assertThat(e.inUse()).as("a FAILED slice still holds its place").isEqualTo(2);
                    assertThat(e.requested()).isEqualTo(1);
                })
                .hasMessage("Your tenant may hold 2 slices; 2 are in use and this request asks for 1 more.");
        assertThat(cluster.allSlicesAndEvents()).isEqualTo(before);

        cluster.setState(failed.uuid(), "RELEASED");
        assertThat(requests.request(tenant, a40_8Q, "vm-3", 1)).hasSize(1);
        assertThat(quotas.useOf(tenant.tenantId())).isEqualTo(new QuotaUse(2, 2, null, 2 * 8192));
        assertThat(placed.state().name()).isEqualTo("PLACED");
    }

    @Test
    void aRequestForSeveralSlicesCountsThemAll() {
        Requester tenant = cluster.tenant("Three-Slices", 3, null);
        requests.request(tenant, a40_8Q, "vm-1", 2);
        assertThatThrownBy(() -> requests.request(tenant, a40_8Q, "vm-2", 2))
                .isInstanceOf(QuotaExceededException.class);
        assertThat(cluster.liveSlices()).isEqualTo(2);
    }

    @Test
    void theFramebufferQuotaCountsEveryRequestedSlice() {
        Requester tenant = cluster.tenant("Sixteen-GiB", null, 16_384L);
        long before = cluster.allSlicesAndEvents();
        assertThatThrownBy(() -> requests.request(tenant, a40_8Q, "vm-1", 3))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo(QuotaExceededException.Limit.FRAMEBUFFER_MIB);
                    assertThat(e.requested()).isEqualTo(3 * 8192);
                })
                .hasMessage("Your tenant may hold 16384 MiB of GPU memory; 0 MiB are in use and this request asks for 24576 MiB more.");
        assertThat(cluster.allSlicesAndEvents()).isEqualTo(before);
        requests.request(tenant, a40_8Q, "vm-1", 2);
        assertThatThrownBy(() -> requests.request(tenant, cluster.offering("A40-1Q"), "vm-2", 1))
                .isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void aTenantWithoutQuotasIsNotLimited() {
        Requester tenant = cluster.tenant("Unlimited", null, null);
        assertThat(requests.request(tenant, a40_8Q, "vm-1", 20)).hasSize(20);
        assertThat(quotas.useOf(tenant.tenantId())).isEqualTo(new QuotaUse(null, 20, null, 20 * 8192));
    }

    @Test
    void twentyConcurrentRequestsOfATenantWithQuotaFiveGetExactlyFive() throws Exception {
        Requester tenant = cluster.tenant("Five-Slices", 5, null);
        ExecutorService threads = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                String vm = "vm-" + i;
                outcomes.add(threads.submit(() -> {
                    start.await();
                    try {
                        requests.request(tenant, a40_8Q, vm, 1);
                        return true;
                    }
                    catch (QuotaExceededException refused) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int placed = 0;
            for (Future<Boolean> outcome : outcomes) {
                placed += outcome.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(placed).isEqualTo(5);
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(quotas.useOf(tenant.tenantId()).usedSlices()).isEqualTo(5);
        assertThat(cluster.liveSlices()).isEqualTo(5);
    }
}
