package io.vgpuhub.web.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The catalog's free capacity is what placement gives: that many requests in a row succeed, the next is refused. */
@PlacementIntegrationTest
class FreeCapacityTests {

    @Autowired
    FreeCapacity freeCapacity;

    @Autowired
    SliceRequests requests;

    @Autowired
    JdbcClient jdbc;

    TestCluster cluster;
    Requester tenant;

    @BeforeEach
    void mixedCluster() {
        cluster = new TestCluster(jdbc);
        cluster.wipe();
        tenant = cluster.tenant("Capacity", null, null);
        long host = cluster.host();
        long fewVfs = cluster.gpu(host, "A40", "VGPU", 4);
        cluster.gpu(host, "A40", "VGPU", 16);
        long reported = cluster.gpu(host, "A40", "VGPU", 16);
        cluster.discoveredVgpuType(reported, "A40-8Q", 3);
        cluster.gpu(host, "T4", "VGPU", 0);
        cluster.gpu(host, "A40", "PASSTHROUGH", 0);
        long partlyUsedMig = cluster.gpu(host, "A100-40GB", "MIG", 0);
        cluster.gpu(host, "A100-40GB", "MIG", 0);
        cluster.gpu(host, "A30", "MIG", 0);
        cluster.gpu(cluster.host("DRAINING", true), "A100-40GB", "MIG", 0);
        cluster.gpu(cluster.host("ONLINE", false), "A40", "PASSTHROUGH", 0);
        requests.request(tenant, cluster.offering("A100-40GB 3g.20gb"), "vm-0", 1);
        // PACK puts the 3g at slot 4, so that a 4g still fits at 0.
        assertThat(jdbc.sql("select gpu_id from slice where mig_start_slot = 4").query(Long.class).single())
                .isEqualTo(partlyUsedMig);
        assertThat(fewVfs).isPositive();
    }

    @AfterEach
    void wipe() {
        cluster.wipe();
    }

    @Test
    void freeCapacityCountsWhatEachGpuCanStillTake() {
        Map<Long, Integer> free = freeCapacity.freeInstancesByOffering();
        // A40-8Q: 4 VFs + seed max 6 + agent's max 3; T4: 2 without VFs.
        assertThat(free).containsEntry(cluster.offering("A40-8Q"), 4 + 6 + 3)
                .containsEntry(cluster.offering("T4-8Q"), 2)
                .containsEntry(cluster.offering("A40 whole GPU"), 1)
                // beside the 3g at 4: 4 x 1g (0-3), and 7 on the empty A100; the draining host's A100 counts nothing
                .containsEntry(cluster.offering("A100-40GB 1g.5gb"), 4 + 7)
                .containsEntry(cluster.offering("A100-40GB 4g.20gb"), 1 + 1)
                .containsEntry(cluster.offering("A100-40GB 3g.20gb"), 1 + 2)
                .containsEntry(cluster.offering("A100-40GB 7g.40gb"), 1)
                .containsEntry(cluster.offering("A30 2g.12gb"), 2)
                .containsEntry(cluster.offering("L40S-8Q"), 0);
        assertThat(free).doesNotContainKey(-1L);
    }

    @Test
    void freeCapacityIsExactlyWhatRequestsInARowGet() {
        for (String code : List.of("A40-8Q", "A40-1Q", "T4-8Q", "A40 whole GPU", "A100-40GB 1g.5gb",
                "A100-40GB 1g.10gb", "A100-40GB 2g.10gb", "A100-40GB 3g.20gb", "A100-40GB 4g.20gb",
                "A30 1g.6gb", "A30 2g.12gb", "A30 4g.24gb", "L40S-8Q")) {
            long offering = cluster.offering(code);
            int free = freeCapacity.freeInstancesByOffering().get(offering);
            for (int i = 0; i < free; i++) {
                requests.request(tenant, offering, "vm-" + i, 1);
            }
            assertThatThrownBy(() -> requests.request(tenant, offering, "vm-one-too-many", 1))
                    .as("request number %d of %s", free + 1, code).isInstanceOf(NoCapacityException.class);
            assertThat(freeCapacity.freeInstancesByOffering()).containsEntry(offering, 0);
            jdbc.sql("delete from slice_event where slice_id in (select id from slice where vm_name <> 'vm-0')").update();
            jdbc.sql("delete from license_lease where slice_id in (select id from slice where vm_name <> 'vm-0')").update();
            jdbc.sql("delete from slice where vm_name <> 'vm-0'").update();
        }
    }

    @Test
    void aDisabledOfferingIsNotListed() {
        long offering = cluster.offering("A40-8Q");
        jdbc.sql("update offering set enabled = false where id = ?").param(offering).update();
        try {
            assertThat(freeCapacity.freeInstancesByOffering()).doesNotContainKey(offering);
        }
        finally {
            jdbc.sql("update offering set enabled = true where id = ?").param(offering).update();
        }
    }
}
