package io.vgpuhub.web.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.vgpuhub.metering.licensing.NoSeatAvailableException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The last seats of an edition, stormed by concurrent requests through the real placement and admission: exactly as
 * many succeed as seats were free, the others are refused, and at no moment do running leases hold more seats than
 * the entitlements grant.
 */
@LicensingTest
class SeatStormTests {

    private static final int REQUESTS = 40;

    @Autowired
    SliceRequests requests;

    @Autowired
    JdbcClient jdbc;

    SeatCluster seats;
    private int models;

    @BeforeEach
    @AfterEach
    void fromNothing() {
        seats = new SeatCluster(jdbc);
    }

    @Test
    void fortyRequestsForFiveFreeSeatsAdmitExactlyFiveAndNeverOverSubscribe() throws Exception {
        // Ten vWS offerings, each on a GPU model of its own on a host of its own: requests for different offerings
        // queue behind no common GPU or host lock, so they reach admission together and only the edition's lock
        // keeps them apart.
        List<Long> offerings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            offerings.add(offeringOnItsOwnHost("VWS", "Q"));
        }
        seats.entitle("VWS", 3);
        seats.entitle("VWS", 2);
        Requester tenant = seats.cluster.tenant("Seat-Storm-" + System.nanoTime(), null, null);

        Map<String, Long> tally = storm(REQUESTS, offerings, tenant, "VWS", 5);

        assertThat(tally).containsEntry("placed", 5L).containsEntry("refused", (long) REQUESTS - 5).hasSize(2);
        assertThat(seats.seatsHeld("VWS")).isEqualTo(5);
        assertThat(seats.slices()).as("refused requests wrote nothing").isEqualTo(5);
        assertThat(jdbc.sql("select count(*) from slice_event").query(Long.class).single()).isEqualTo(2 * 5);
    }

    @Test
    void perGpuSeatsAreNeverHeldForMoreGpusThanEntitled() throws Exception {
        long host = seats.cluster.host();
        for (int i = 0; i < 3; i++) {
            seats.cluster.gpu(host, "A40", "VGPU", 16);   // A40-4C: 12 per GPU
        }
        seats.entitle("VCS", 2);
        Requester tenant = seats.cluster.tenant("Gpu-Storm-" + System.nanoTime(), null, null);

        Map<String, Long> tally = storm(30, List.of(seats.cluster.offering("A40-4C")), tenant, "VCS", 2);

        assertThat(tally.getOrDefault("placed", 0L) + tally.getOrDefault("refused", 0L)).isEqualTo(30);
        assertThat(tally.get("placed")).as("at least the first slice of each seated GPU").isGreaterThanOrEqualTo(2);
        assertThat(seats.seatsHeld("VCS")).isEqualTo(2);
        assertThat(jdbc.sql("select count(distinct gpu_id) from slice").query(Long.class).single())
                .as("GPUs holding admitted slices").isEqualTo(2);
        assertThat(jdbc.sql("""
                select count(*) from slice s
                where not exists (select 1 from license_lease l
                                  where l.slice_id = s.id and l.ended_at is null and l.holds_seat
                                    and l.seat_key = 'gpu:' || s.gpu_id)
                """).query(Long.class).single()).as("slices without their GPU's seat").isZero();
    }

    /** A vGPU offering of the edition (series letter {@code series}) whose only GPU, with room for 12, is on a new host. */
    private long offeringOnItsOwnHost(String edition, String series) {
        String model = "LS" + (char) ('A' + models++);
        long id = jdbc.sql("""
                insert into offering (code, kind, gpu_model, vgpu_type, framebuffer_mib, max_instances_per_gpu, license_edition)
                values (:type, 'VGPU', :model, :type, 4096, 12, :edition)
                on conflict (code) do update set enabled = true returning id
                """).param("type", model + "-4" + series).param("model", model).param("edition", edition)
                .query(Long.class).single();
        seats.cluster.gpu(seats.cluster.host(), model, "VGPU", 0);
        return id;
    }

    /**
     * Sends {@code count} one-slice requests at once, spread over the offerings, while a watcher samples the seats held.
     *
     * @return how many were "placed" and "refused"
     */
    private Map<String, Long> storm(int count, List<Long> offerings, Requester tenant, String edition, int entitled)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean storming = new AtomicBoolean(true);
        AtomicLong mostHeld = new AtomicLong();
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            Future<?> watcher = threads.submit(() -> {
                while (storming.get()) {
                    mostHeld.accumulateAndGet(seats.seatsHeld(edition), Math::max);
                }
            });
            for (int i = 0; i < count; i++) {
                String vm = "storm-" + i;
                long offering = offerings.get(i % offerings.size());
                outcomes.add(threads.submit(() -> {
                    start.await();
                    try {
                        requests.request(tenant, offering, vm, 1);
                        return "placed";
                    }
                    catch (NoSeatAvailableException refused) {
                        assertThat(refused.inUse()).isEqualTo(entitled);
                        assertThat(refused.entitled()).isEqualTo(entitled);
                        return "refused";
                    }
                }));
            }
            start.countDown();
            Map<String, Long> tally = new TreeMap<>();
            for (Future<String> outcome : outcomes) {
                tally.merge(outcome.get(60, TimeUnit.SECONDS), 1L, Long::sum);
            }
            storming.set(false);
            watcher.get(10, TimeUnit.SECONDS);
            assertThat(mostHeld.get()).as("most seats held at any sampled moment").isLessThanOrEqualTo(entitled);
            return tally;
        }
        finally {
            storming.set(false);
            threads.shutdownNow();
        }
    }
}
