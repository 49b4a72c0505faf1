package io.vgpuhub.web.placement.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.vgpuhub.web.VgpuHubApplication;
import io.vgpuhub.web.placement.TestCluster;
import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * On-demand bench harness (not a test): slice requests through {@link SliceRequests} (quota check, placement with
 * GPU locks, slice insert, events, host generation), 200 at once from 200 threads, against the embedded PostgreSQL
 * with the server's default connection pool. Commands and results are in BENCHMARKS.md.
 */
public final class PlacementBenchmark {

    private static final int CONCURRENCY = 200;

    private PlacementBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(VgpuHubApplication.class)
                .properties("vgpuhub.db.embedded.data-dir=", "vgpuhub.demo.enabled=false", "server.port=0",
                        "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run()) {
            SliceRequests requests = app.getBean(SliceRequests.class);
            TestCluster cluster = new TestCluster(app.getBean(JdbcClient.class));
            System.out.printf("machine: %d CPUs, Java %s, %d requests at once, %d measured rounds, load average %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), CONCURRENCY, rounds,
                    loadAverage());
            cluster.wipe();
            List<Requester> tenants = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                // Half the tenants have quotas (checked under their row lock), half have none.
                tenants.add(cluster.tenant("Bench-" + t, t % 2 == 0 ? 1000 : null, t % 2 == 0 ? 10_000_000L : null));
            }
            // Room for every request: 10 hosts, each with an A40 (16 VFs), an A100-80GB in MIG mode, a T4 and two A10s
            // for passthrough.
            for (int h = 0; h < 10; h++) {
                long host = cluster.host();
                cluster.gpu(host, "A40", "VGPU", 16);
                cluster.gpu(host, "A100-80GB", "MIG", 0);
                cluster.gpu(host, "T4", "VGPU", 0);
                cluster.gpu(host, "A10", "PASSTHROUGH", 0);
                cluster.gpu(host, "A10", "PASSTHROUGH", 0);
            }
            List<Long> mix = mix(cluster, Map.of("A40-2Q", 100, "A100-80GB 1g.10gb", 50, "T4-2Q", 30, "A10 whole GPU", 20));

            for (int warmUp = 0; warmUp < 3; warmUp++) {
                round(requests, tenants, mix);
                cluster.removeSlices();
            }
            Stats roomy = new Stats();
            for (int r = 0; r < rounds; r++) {
                roomy.add(round(requests, tenants, mix));
                cluster.removeSlices();
            }
            roomy.print("200 at once, all placed (vGPU 100, MIG 50, T4 30, passthrough 20)");

            Stats sequential = new Stats();
            for (int r = 0; r < rounds; r++) {
                Result one = new Result(CONCURRENCY, 0);
                long began = System.nanoTime();
                for (int i = 0; i < CONCURRENCY; i++) {
                    long start = System.nanoTime();
                    requests.request(tenants.get(i % tenants.size()), mix.get(i), "vm-" + i, 1);
                    one.latencies[i] = System.nanoTime() - start;
                }
                one.wallNanos = System.nanoTime() - began;
                sequential.add(one);
                cluster.removeSlices();
            }
            sequential.print("one at a time (same 200 requests, one thread)");

            // Scarce: the 200 compete for 70 places (7 x 1g.10gb on each of the ten A100s); 130 are refused.
            List<Long> scarce = Collections.nCopies(CONCURRENCY, cluster.offering("A100-80GB 1g.10gb"));
            Stats contended = new Stats();
            for (int r = 0; r < rounds; r++) {
                Result result = round(requests, tenants, scarce);
                if (result.placed != 70) {
                    throw new IllegalStateException("expected 70 placed, got " + result.placed);
                }
                contended.add(result);
                cluster.removeSlices();
            }
            contended.print("200 at once for 70 MIG places (70 placed, 130 refused)");
            cluster.wipe();
            System.out.printf("load average at the end: %s%n", loadAverage());
        }
    }

    /** Other work on the machine skews the figures; the 1, 5 and 15 minute load averages tell how much there was. */
    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        }
        catch (IOException | RuntimeException unreadable) {
            return "unknown";
        }
    }

    private static List<Long> mix(TestCluster cluster, Map<String, Integer> counts) {
        List<Long> offerings = new ArrayList<>();
        counts.forEach((code, n) -> offerings.addAll(Collections.nCopies(n, cluster.offering(code))));
        Collections.shuffle(offerings, new Random(42));
        return offerings;
    }

    private static Result round(SliceRequests requests, List<Requester> tenants, List<Long> offerings) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENCY; i++) {
                Requester tenant = tenants.get(i % tenants.size());
                long offering = offerings.get(i);
                String vm = "vm-" + i;
                futures.add(threads.submit(() -> {
                    start.await();
                    long began = System.nanoTime();
                    try {
                        requests.request(tenant, offering, vm, 1);
                        return System.nanoTime() - began;
                    }
                    catch (NoCapacityException refused) {
                        return -(System.nanoTime() - began);
                    }
                }));
            }
            long began = System.nanoTime();
            start.countDown();
            Result result = new Result(CONCURRENCY, 0);
            for (int i = 0; i < CONCURRENCY; i++) {
                long nanos = futures.get(i).get(120, TimeUnit.SECONDS);
                result.latencies[i] = Math.abs(nanos);
                result.placed += nanos > 0 ? 1 : 0;
            }
            result.wallNanos = System.nanoTime() - began;
            return result;
        }
        finally {
            threads.shutdownNow();
        }
    }

    private static final class Result {
        final long[] latencies;
        int placed;
        long wallNanos;

        Result(int n, int placed) {
            this.latencies = new long[n];
            this.placed = placed;
        }
    }

    private static final class Stats {
        final List<Long> latencies = new ArrayList<>();
        final List<Double> throughputs = new ArrayList<>();

        void add(Result result) {
            Arrays.stream(result.latencies).forEach(latencies::add);
            throughputs.add(result.latencies.length / (result.wallNanos / 1e9));
        }

        void print(String what) {
            Collections.sort(latencies);
            List<Double> sorted = new ArrayList<>(throughputs);
            Collections.sort(sorted);
            System.out.printf("%s: throughput median %.0f requests/s (min %.0f, max %.0f); latency p50 %.1f ms, "
                            + "p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted.get(sorted.size() / 2),
                    sorted.get(0), sorted.get(sorted.size() - 1), ms(0.50), ms(0.95), ms(0.99), ms(1.0));
        }

        private double ms(double quantile) {
            int index = (int) Math.ceil(quantile * latencies.size()) - 1;
            return latencies.get(Math.max(0, index)) / 1e6;
        }
    }
}
