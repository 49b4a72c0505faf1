package io.vgpuhub.web.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * 200 requests at once against a cluster with 63 free places of four kinds: exactly 63 are placed, the rest are told
 * there is no capacity, and the database shows no virtual function, MIG slot or GPU held twice.
 */
@PlacementIntegrationTest
class PlacementStormTests {

    private static final int REQUESTS = 200;

    @Autowired
    SliceRequests requests;

    @Autowired
    JdbcClient jdbc;

    TestCluster cluster;

    @BeforeEach
    @AfterEach
    void wipe() {
        cluster = new TestCluster(jdbc);
        cluster.wipe();
    }

    @Test
    void twoHundredConcurrentRequestsTakeExactlyTheFreePlacesAndNothingTwice() throws Exception {
        long vgpuHost = cluster.host();
        for (int i = 0; i < 3; i++) {
            cluster.gpu(vgpuHost, "A40", "VGPU", 16);          // A40-4Q: 12 per GPU (16 VFs)
        }
        long mixedHost = cluster.host();
        cluster.gpu(mixedHost, "T4", "VGPU", 0);               // T4-4Q: 4, no VFs
        cluster.gpu(mixedHost, "A10", "PASSTHROUGH", 0);       // one whole A10 each
        cluster.gpu(mixedHost, "A10", "PASSTHROUGH", 0);
        long migHost = cluster.host();
        for (int i = 0; i < 3; i++) {
            cluster.gpu(migHost, "A100-40GB", "MIG", 0);       // 1g.5gb: 7 per GPU
        }
        Map<String, Integer> wanted = Map.of("A40-4Q", 100, "T4-4Q", 20, "A100-40GB 1g.5gb", 60, "A10 whole GPU", 20);
        Map<String, Integer> free = Map.of("A40-4Q", 36, "T4-4Q", 4, "A100-40GB 1g.5gb", 21, "A10 whole GPU", 2);
        List<Requester> tenants = List.of(cluster.tenant("Storm-A", null, null), cluster.tenant("Storm-B", null, null),
                cluster.tenant("Storm-C", null, null), cluster.tenant("Storm-D", null, null));
        List<String> offerings = new ArrayList<>();
        wanted.forEach((code, count) -> offerings.addAll(Collections.nCopies(count, code)));
        Collections.shuffle(offerings, new Random(42));
        assertThat(offerings).hasSize(REQUESTS);

        ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        long began = System.nanoTime();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                String code = offerings.get(i);
                Requester tenant = tenants.get(i % tenants.size());
                long offeringId = cluster.offering(code);
                String vm = "vm-" + i;
                outcomes.add(threads.submit(() -> {
                    start.await();
                    try {
                        requests.request(tenant, offeringId, vm, 1);
                        return "placed " + code;
                    }
                    catch (NoCapacityException refused) {
                        assertThat(refused).hasMessage("No free capacity for " + code
                                + " right now. Try again later or choose another offering.");
                        return "refused " + code;
                    }
                }));
            }
            start.countDown();
            Map<String, Long> tally = new TreeMap<>();
            for (Future<String> outcome : outcomes) {
                tally.merge(outcome.get(60, TimeUnit.SECONDS), 1L, Long::sum);
            }
            System.out.printf("storm: %d requests in %d ms: %s%n", REQUESTS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), tally);
            free.forEach((code, places) -> {
                assertThat(tally.getOrDefault("placed " + code, 0L)).as("placed " + code).isEqualTo((long) places);
                assertThat(tally.getOrDefault("refused " + code, 0L)).as("refused " + code)
                        .isEqualTo((long) wanted.get(code) - places);
            });
        }
        finally {
            threads.shutdownNow();
        }

        assertThat(cluster.liveSlices()).isEqualTo(63);
        assertThat(jdbc.sql("""
                select vf_id from slice where state <> 'RELEASED' and vf_id is not null group by vf_id having count(*) > 1
                """).query(Long.class).list()).as("virtual functions held twice").isEmpty();
        assertThat(jdbc.sql("""
                select a.id from slice a join slice b on a.gpu_id = b.gpu_id and a.id < b.id
                where a.kind = 'MIG' and b.kind = 'MIG' and a.state <> 'RELEASED' and b.state <> 'RELEASED'
                  and int4range(a.mig_start_slot, a.mig_start_slot + a.mig_size)
                      && int4range(b.mig_start_slot, b.mig_start_slot + b.mig_size)
                """).query(Long.class).list()).as("overlapping MIG slices").isEmpty();
        record PerGpu(String model, String mode, long slices) {
        }
        Map<String, List<Long>> slicesPerGpu = jdbc.sql("""
                select g.model, g.mode, count(s.id) as slices from gpu g
                left join slice s on s.gpu_id = g.id and s.state <> 'RELEASED' group by g.id order by g.id
                """).query(PerGpu.class).list().stream().collect(Collectors.groupingBy(PerGpu::model,
                Collectors.mapping(PerGpu::slices, Collectors.toList())));
        assertThat(slicesPerGpu).containsEntry("A40", List.of(12L, 12L, 12L)).containsEntry("T4", List.of(4L))
                .containsEntry("A10", List.of(1L, 1L)).containsEntry("A100-40GB", List.of(7L, 7L, 7L));
        assertThat(jdbc.sql("select count(*) from slice_event").query(Long.class).single())
                .as("REQUESTED and PLACED per slice").isEqualTo(2 * 63);
    }
}
