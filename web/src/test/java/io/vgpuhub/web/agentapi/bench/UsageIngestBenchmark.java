package io.vgpuhub.web.agentapi.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.vgpuhub.web.VgpuHubApplication;
import io.vgpuhub.web.agentapi.HostTokens;

import org.postgresql.PGConnection;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * On-demand bench harness (not a test): usage batches posted by agent threads to the real HTTP agent API (host token,
 * JSON, validation, storage, whatever the server does with a batch) against the embedded PostgreSQL, then, in the same
 * run and database, the same rows written by one raw {@code COPY ... FROM STDIN (FORMAT csv)} into usage_sample, and
 * the ratio of the two rates. Sizes come from system properties (see {@link Config}); commands and results are in
 * BENCHMARKS.md.
 */
public final class UsageIngestBenchmark {

    private static final String LICENSE_STATE = "LICENSED";

    private UsageIngestBenchmark() {
    }

    /** The sizes, each a {@code -Dbench.*} system property. */
    record Config(int slices, int batches, int batchSize, int threads, int warmUpBatches, int rounds) {

        static Config fromSystemProperties() {
            return new Config(Integer.getInteger("bench.slices", 200), Integer.getInteger("bench.batches", 200),
                    Integer.getInteger("bench.batchSize", 500), Integer.getInteger("bench.threads", 4),
                    Integer.getInteger("bench.warmUpBatches", 40), Integer.getInteger("bench.rounds", 3));
        }

        int samplesPerRound() {
            return batches * batchSize;
        }

        /** Seconds of samples one round covers: every slice sampled once a second. */
        long secondsPerRound() {
            return secondsFor(samplesPerRound());
        }

        long secondsFor(int samples) {
            return (samples + slices - 1) / slices;
        }
    }

    /** A round's samples, each slice sampled once a second from {@code start}, cut into batches. */
    record Batch(UUID id, List<Sample> samples) {
    }

    record Sample(long sliceId, UUID sliceUuid, Instant sampledAt, int utilization, int memoryMib) {
    }

    /** The bench's READY slices, all of one tenant on the agent's host. */
    record Fleet(long tenantId, List<Slice> slices) {
    }

    record Slice(long id, UUID uuid) {
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromSystemProperties();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(VgpuHubApplication.class)
                .properties("vgpuhub.db.embedded.data-dir=", "vgpuhub.demo.enabled=false", "server.port=0",
                        "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run()) {
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            DataSource dataSource = app.getBean(DataSource.class);
            String port = app.getEnvironment().getProperty("local.server.port");
            URI usage = URI.create("http://localhost:" + port + "/api/agent/v1/usage");
            System.out.printf("machine: %d CPUs, Java %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), loadAverage());
            System.out.printf("config: %s (%d samples per round)%n", config, config.samplesPerRound());

            String token = "bench-" + UUID.randomUUID();
            Fleet fleet = readySlices(jdbc, token, config.slices());
            // The warm-up and the rounds take consecutive stretches of the last hours, all in the past (the API refuses
            // samples from the future) and none overlapping another, so no sample collides with one already stored.
            int warmUpSamples = config.warmUpBatches() * config.batchSize();
            long secondsNeeded = config.secondsFor(warmUpSamples) + config.secondsPerRound() * config.rounds() + 60;
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(secondsNeeded + 600);
            ensurePartitions(jdbc, start, Instant.now());

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Agent agent = new Agent(http, usage, token, config.threads());
            try {
                // Warm-up: the JIT, the connection pool, the statements and the table's pages, on both paths.
                if (warmUpSamples > 0) {
                    List<Batch> warmUp = batches(fleet, start, warmUpSamples, config.batchSize());
                    agent.send(warmUp);
                    deleteRound(jdbc, fleet, warmUp);
                    copy(dataSource, warmUp);
                }

                Instant roundStart = start.plusSeconds(config.secondsFor(warmUpSamples) + 60);
                List<double[]> results = new ArrayList<>();
                for (int round = 0; round < config.rounds(); round++) {
                    List<Batch> batches = batches(fleet, roundStart, config.samplesPerRound(), config.batchSize());
                    Agent.Result api = agent.send(batches);
                    long stored = countRound(jdbc, fleet, batches);
                    if (stored != config.samplesPerRound()) {
                        throw new IllegalStateException("the API stored " + stored + " of " + config.samplesPerRound());
                    }
                    double apiRate = config.samplesPerRound() / api.seconds();

                    deleteRound(jdbc, fleet, batches);
                    double copySeconds = copy(dataSource, batches);
                    if (countRound(jdbc, fleet, batches) != config.samplesPerRound()) {
                        throw new IllegalStateException("COPY did not store every row");
                    }
                    double copyRate = config.samplesPerRound() / copySeconds;
                    results.add(new double[] {apiRate, copyRate, apiRate / copyRate});
                    System.out.printf("round %d: API %.0f samples/s (%.2f s; batch latency p50 %.0f ms, p95 %.0f ms, "
                                    + "max %.0f ms), COPY %.0f rows/s (%.2f s), API/COPY %.3f%n", round + 1, apiRate,
                            api.seconds(), api.latencyMs(0.50), api.latencyMs(0.95), api.latencyMs(1.0), copyRate,
                            copySeconds, apiRate / copyRate);
                    roundStart = roundStart.plusSeconds(config.secondsPerRound());
                }
                results.sort((a, b) -> Double.compare(a[2], b[2]));
                double[] median = results.get(results.size() / 2);
                System.out.printf("median round (by ratio): API %.0f samples/s, COPY %.0f rows/s, API/COPY %.3f "
                                + "(COPY %.1f times as fast) (%d batches of %d samples, %d client threads, %d slices on one host, %d warm-up batches)%n",
                        median[0], median[1], median[2], 1 / median[2], config.batches(), config.batchSize(), config.threads(),
                        config.slices(), config.warmUpBatches());
                System.out.printf("load average at the end: %s%n", loadAverage());
            }
            finally {
                agent.close();
            }
        }
    }

    /**
     * A host whose agent holds {@code token}, one T4 without SR-IOV in vGPU mode, and that many slices on it, READY
     * since before the samples (the server may refuse samples dated before their slice).
     */
    private static Fleet readySlices(JdbcClient jdbc, String token, int count) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        long tenant = jdbc.sql("insert into tenant (name) values (?) returning id").param("bench-" + suffix)
                .query(Long.class).single();
        long user = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, ?, 'Bench', '{noop}not-a-real-password-hash') returning id""")
                .params(tenant, "bench-" + suffix).query(Long.class).single();
        long host = jdbc.sql("insert into host (name, agent_token_hash) values (?, ?) returning id")
                .params("bench-" + suffix, HostTokens.hash(token)).query(Long.class).single();
        long gpu = jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, sriov)
                values (?, '0000:3b:00.0', ?, 'T4', 15360, 'VGPU', 'VGPU', false) returning id""")
                .params(host, "GPU-" + UUID.randomUUID()).query(Long.class).single();
        long offering = jdbc.sql("select id from offering where code = 'T4-1Q'").query(Long.class).single();
        List<Slice> slices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID uuid = UUID.randomUUID();
            long id = jdbc.sql("""
                    insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id,
                                       created_at, ready_at)
                    values (?, ?, ?, ?, 'VGPU', ?, 'READY', ?, now() - interval '2 days', now() - interval '1 day')
                    returning id""")
                    .params(uuid, tenant, user, offering, "bench-vm-" + i, gpu).query(Long.class).single();
            slices.add(new Slice(id, uuid));
        }
        return new Fleet(tenant, slices);
    }

    private static void ensurePartitions(JdbcClient jdbc, Instant from, Instant to) {
        for (Instant at = from; !at.isAfter(to.plus(Duration.ofMinutes(5))); at = at.plus(Duration.ofMinutes(10))) {
            jdbc.sql("select usage_sample_ensure_partition(?)").param(1, at.atOffset(ZoneOffset.UTC),
                    Types.TIMESTAMP_WITH_TIMEZONE).query(String.class).single();
        }
    }

    /** {@code total} samples, every slice once a second from {@code start}, in batches of {@code batchSize}. */
    static List<Batch> batches(Fleet fleet, Instant start, int total, int batchSize) {
        List<Slice> slices = fleet.slices();
        List<Batch> batches = new ArrayList<>();
        List<Sample> current = new ArrayList<>(batchSize);
        for (int n = 0; n < total; n++) {
            Slice slice = slices.get(n % slices.size());
            int utilization = (n * 37) % 101;
            current.add(new Sample(slice.id(), slice.uuid(), start.plusSeconds(n / slices.size()), utilization,
                    512 + (n * 131) % 4096));
            if (current.size() == batchSize || n == total - 1) {
                batches.add(new Batch(UUID.randomUUID(), current));
                current = new ArrayList<>(batchSize);
            }
        }
        return batches;
    }

    private static long countRound(JdbcClient jdbc, Fleet fleet, List<Batch> batches) {
        return jdbc.sql("""
                select count(*) from usage_sample
                where slice_id in (select id from slice where tenant_id = ?) and sampled_at between ? and ?""")
                .param(1, fleet.tenantId())
                .param(2, first(batches).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .param(3, last(batches).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .query(Long.class).single();
    }

    /** Removes a round's rows and vacuums, so the COPY writes the same rows into a table in the same shape. */
    private static void deleteRound(JdbcClient jdbc, Fleet fleet, List<Batch> batches) {
        jdbc.sql("""
                delete from usage_sample
                where slice_id in (select id from slice where tenant_id = ?) and sampled_at between ? and ?""")
                .param(1, fleet.tenantId())
                .param(2, first(batches).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .param(3, last(batches).atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .update();
        jdbc.sql("vacuum usage_sample").update();
    }

    private static Instant first(List<Batch> batches) {
        return batches.get(0).samples().get(0).sampledAt();
    }

    private static Instant last(List<Batch> batches) {
        List<Sample> samples = batches.get(batches.size() - 1).samples();
        return samples.get(samples.size() - 1).sampledAt();
    }

    /**
     * Writes the batches' rows with one COPY on one connection, committed; the CSV is built before the clock starts.
     *
     * @return the seconds the COPY and its commit took
     */
    private static double copy(DataSource dataSource, List<Batch> batches) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (Batch batch : batches) {
            for (Sample sample : batch.samples()) {
                csv.append(sample.sliceId()).append(',').append(batch.id()).append(',').append(sample.sampledAt())
                        .append(',').append(sample.utilization()).append(',').append(sample.memoryMib()).append(',')
                        .append(LICENSE_STATE).append('\n');
            }
        }
        String rows = csv.toString();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long began = System.nanoTime();
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    copy usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib,
                                       license_state) from stdin (format csv)""", new StringReader(rows));
            connection.commit();
            return (System.nanoTime() - began) / 1e9;
        }
    }

    /** Host agent threads posting batches to the agent API; the JSON is built before the clock starts. */
    private static final class Agent implements AutoCloseable {

        record Result(double seconds, long[] latencies) {

            double latencyMs(double quantile) {
                long[] sorted = latencies.clone();
                Arrays.sort(sorted);
                int index = (int) Math.ceil(quantile * sorted.length) - 1;
                return sorted[Math.max(0, index)] / 1e6;
            }
        }

        private final HttpClient http;
        private final URI usage;
        private final String token;
        private final int threads;
        private final ExecutorService pool;

        Agent(HttpClient http, URI usage, String token, int threads) {
            this.http = http;
            this.usage = usage;
            this.token = token;
            this.threads = threads;
            this.pool = Executors.newFixedThreadPool(threads);
        }

        /** Sends every batch once, {@code threads} at a time, and fails on any answer but 2xx. */
        Result send(List<Batch> batches) throws Exception {
            List<HttpRequest> requests = batches.stream().map(this::request).toList();
            long[] latencies = new long[requests.size()];
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            long began = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(requests.get(i), HttpResponse.BodyHandlers.ofString());
                        latencies[i] = System.nanoTime() - sent;
                        if (response.statusCode() / 100 != 2) {
                            throw new IllegalStateException("batch refused: " + response.statusCode() + " " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.MINUTES);
            }
            return new Result((System.nanoTime() - began) / 1e9, latencies);
        }

        private HttpRequest request(Batch batch) {
            StringBuilder json = new StringBuilder(batch.samples().size() * 160);
            json.append("{\"batchId\":\"").append(batch.id()).append("\",\"samples\":[");
            for (int i = 0; i < batch.samples().size(); i++) {
                Sample sample = batch.samples().get(i);
                json.append(i == 0 ? "" : ",").append("{\"sliceId\":\"").append(sample.sliceUuid())
                        .append("\",\"sampledAt\":\"").append(sample.sampledAt())
                        .append("\",\"gpuUtilizationPercent\":").append(sample.utilization())
                        .append(",\"memoryUsedMib\":").append(sample.memoryMib())
                        .append(",\"licenseState\":\"").append(LICENSE_STATE).append("\"}");
            }
            json.append("]}");
            return HttpRequest.newBuilder(usage).timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.toString())).build();
        }

        @Override
        public void close() {
            pool.shutdownNow();
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
}
