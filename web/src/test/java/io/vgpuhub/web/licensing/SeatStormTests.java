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

    @BeforeEach
    @AfterEach
    void fromNothing() {
        seats = new SeatCluster(jdbc);
    }

    @Test
    void fortyRequestsForFiveFreeSeatsAdmitExactlyFiveAndNeverOverSubscribe() throws Exception {
        long host = seats.cluster.host();
        for (int i = 0; i < 4; i++) {
            seats.cluster.gpu(host, "A40", "VGPU", 16);   // A40-4Q: 12 per GPU, 48 places for 40 requests
        }
        seats.entitle("VWS", 3);
        seats.entitle("VWS", 2);
        Requester tenant = seats.cluster.tenant("Seat-Storm-" + System.nanoTime(), null, null);

        Map<String, Long> tally = storm(REQUESTS, seats.cluster.offering("A40-4Q"), tenant, "VWS", 5);

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

        Map<String, Long> tally = storm(30, seats.cluster.offering("A40-4C"), tenant, "VCS", 2);

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

    /**
     * Sends {@code count} one-slice requests at once while a watcher samples the seats held.
     *
     * @return how many were "placed" and "refused"
     */
    private Map<String, Long> storm(int count, long offering, Requester tenant, String edition, int entitled)
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
