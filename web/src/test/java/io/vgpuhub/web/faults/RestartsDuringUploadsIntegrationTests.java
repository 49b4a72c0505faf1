package io.vgpuhub.web.faults;

import static io.vgpuhub.web.faults.AgentProcess.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.vgpuhub.agent.usage.UsageSpool;
import io.vgpuhub.web.VgpuHubApplication;
import io.vgpuhub.web.licensing.LicenseSeatFixtures;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceLifecycle;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server stopped and started again, and later PostgreSQL stopped and started again, while the real agent samples
 * two READY slices every 200 ms and uploads: the agent spools through both outages and then drains, and the database
 * holds every sample exactly once. Proven against the agent's own record: once the slices are released and the agent
 * has uploaded all it sampled, it is stopped and its spool says how many samples it ever took (its sequence numbers)
 * and that it dropped none; the database must hold exactly that many, and every batch's samples (sum of
 * usage_batch.sample_count = count(usage_sample): a sample sent under two batch ids would be skipped the second time
 * and break the equality), and the hourly rollup written with them counts each sample once. A lost batch is missing
 * from usage_batch and usage_sample alike, so only the agent's count can show it.
 */
class RestartsDuringUploadsIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(200);
    /**
     * A gap this long means the sampler stalled (or much was lost); one starved a moment while a restarting server
     * keeps both cores of a shared machine busy is not. Lost batches are caught exactly by the agent's count.
     */
    private static final Duration LONGEST_GAP = Duration.ofSeconds(4);
    /** Nothing stored for this long after the slices were released: the agent has uploaded all it sampled. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    /**
     * What the agent's spool ({@code <stateDir>/spool}, see {@link UsageSpool}) records of the whole run, read after the
     * agent has stopped. Sequence numbers start at 1 and are never reused, and {@code nextToBatch} is the first not yet
     * cut into a batch, so with nothing pending and none dropped the agent took and uploaded {@code nextToBatch - 1}.
     */
    private record SpoolRecord(long taken, long pending, long dropped) {

        static SpoolRecord read(Path spoolDir) {
            long pending;
            long dropped;
            // Opened as the agent would open it again (it takes the spool's lock, free once the agent is gone).
            try (UsageSpool spool = UsageSpool.open(spoolDir)) {
                pending = spool.pendingSamples();
                dropped = spool.droppedSamples();
            }
            JsonNode state = JsonMapper.builder().build().readTree(spoolDir.resolve("state.json").toFile());
            assertThat(state.path("batch").isMissingNode() || state.path("batch").isNull())
                    .as("no batch in flight in the agent's spool state %s", state).isTrue();
            assertThat(state.path("dropped").asLong()).as("dropped in the spool state %s", state).isEqualTo(dropped);
            return new SpoolRecord(state.required("nextToBatch").asLong() - 1, pending, dropped);
        }
    }

    /** Ports below the kernel's ephemeral range start here, clear of the usual fixed services. */
    private static final int LOWEST_PORT = 20000;
    private static final String TOKEN = "faults-agent-token-0123456789";

    @TempDir
    Path dir;

    EmbeddedPostgres postgres;
    ConfigurableApplicationContext server;
    AgentProcess agent;

    @AfterEach
    void stopEverything() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void noSampleIsLostAndNoneCountedTwiceAcrossServerAndDatabaseRestarts() throws Exception {
        int dbPort = freePort(-1);
        int httpPort = freePort(dbPort);
        postgres = startPostgres(dbPort);
        server = startServer(dbPort, httpPort);
        JdbcClient jdbc = server.getBean(JdbcClient.class);
        LicenseSeatFixtures.grantGenerousSeats(jdbc);
        Path hostFile = FaultFixtures.hostFile(dir, FaultFixtures.AN_A40);
        agent = AgentProcess.start(URI.create("http://localhost:" + httpPort), TOKEN, dir.resolve("agent"), hostFile,
                "--sample-interval", SAMPLE_INTERVAL.toMillis() + "ms", "--heartbeat-interval", "1s");
        FaultFixtures.awaitTheA40Reported(jdbc, agent, PATIENCE);
        Requester alice = FaultFixtures.alice(jdbc);
        long offering = FaultFixtures.offering(jdbc, "A40-8Q");
        List<UUID> slices = server.getBean(SliceRequests.class).request(alice, offering, "train-01", 2).stream()
                .map(SliceView::uuid).toList();
        eventually("samples of both slices are stored", PATIENCE, agent, () -> samplesPerSlice(jdbc(), slices, Instant.EPOCH));

        server.close();
        Thread.sleep(OUTAGE.toMillis());
        Instant serverBack = Instant.now();
        server = startServer(dbPort, httpPort);
        eventually("samples taken after the server restart are stored", PATIENCE, agent, () ->
                samplesPerSlice(jdbc(), slices, serverBack));

        postgres.close();
        Thread.sleep(OUTAGE.toMillis());
        postgres = startPostgres(dbPort);
        Instant databaseBack = Instant.now();
        eventually("samples taken after the database restart are stored", PATIENCE, agent, () ->
                samplesPerSlice(jdbc(), slices, databaseBack.plusSeconds(1)));

        // The agent uploads its batches in order, so with these stored every sample before them is too.
        for (UUID slice : slices) {
            List<Instant> times = jdbc().sql("""
                    select u.sampled_at from usage_sample u join slice s on s.id = u.slice_id
                    where s.uuid = ? and u.sampled_at <= ? order by 1""")
                    .params(slice, Timestamp.from(databaseBack)).query(Timestamp.class).list().stream()
                    .map(Timestamp::toInstant).toList();
            assertThat(times).as("samples of slice %s before both outages and after", slice).hasSizeGreaterThan(20);
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.between(times.get(i - 1), times.get(i))).as("gap in the samples of %s after %s",
                        slice, times.get(i - 1)).isLessThanOrEqualTo(LONGEST_GAP);
            }
        }
        // Released slices are no longer sampled: once the agent has uploaded the rest, its spool holds the whole run.
        SliceLifecycle lifecycle = server.getBean(SliceLifecycle.class);
        for (UUID slice : slices) {
            lifecycle.release(alice, slice);
        }
        eventually("both slices are RELEASED", PATIENCE, agent, () -> jdbc().sql(
                "select count(*) from slice where uuid = any(?) and state = 'RELEASED'")
                .param(slices.toArray(UUID[]::new)).query(Long.class).single() == slices.size());
        awaitNoNewSamples(jdbc());
        agent.stop();
        SpoolRecord spool = SpoolRecord.read(dir.resolve("agent").resolve("spool"));
        assertThat(spool.pending()).as("samples the agent still had to upload when it was stopped").isZero();
        assertThat(spool.dropped()).as("samples the agent dropped from its spool").isZero();

        // One statement, so one snapshot, each batch having landed whole in one statement too.
        record Totals(long stored, long batched, long rolledUp) {
        }
        Totals totals = jdbc().sql("""
                select (select count(*) from usage_sample) as stored,
                       (select coalesce(sum(sample_count), 0) from usage_batch) as batched,
                       (select coalesce(sum(sample_count), 0) from usage_hourly) as rolled_up""")
                .query(Totals.class).single();
        assertThat(totals.batched()).as("every sample of every accepted batch is stored, none was sent under two batch ids")
                .isEqualTo(totals.stored());
        assertThat(totals.stored()).as("samples stored, of the %d the agent took and uploaded (none dropped)", spool.taken())
                .isEqualTo(spool.taken());
        assertThat(totals.rolledUp()).as("the hourly rollup counts each stored sample once").isEqualTo(totals.stored());
        assertThat(jdbc().sql("""
                select count(*) from (select h.slice_id from usage_hourly h
                 join (select slice_id, date_trunc('hour', sampled_at, 'UTC') as hour, count(*) as n from usage_sample group by 1, 2) r
                   on r.slice_id = h.slice_id and r.hour = h.hour
                 where r.n <> h.sample_count) wrong""").query(Long.class).single())
                .as("per slice and hour, too").isZero();
    }

    private JdbcClient jdbc() {
        return server.getBean(JdbcClient.class);
    }

    /** Waits until no sample has been stored for {@link #QUIET}. */
    private void awaitNoNewSamples(JdbcClient jdbc) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long seen = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET.toNanos()) {
            long now = jdbc.sql("select count(*) from usage_sample").query(Long.class).single();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("samples kept arriving " + PATIENCE.toSeconds()
                        + " s after both slices were released; the agent's log:\n" + agent.log());
            }
            Thread.sleep(200);
        }
    }

    private static boolean samplesPerSlice(JdbcClient jdbc, List<UUID> slices, Instant after) {
        try {
            return jdbc.sql("""
                    select count(distinct s.uuid) from usage_sample u join slice s on s.id = u.slice_id
                    where s.uuid = any(?) and u.sampled_at > ?""")
                    .params(slices.toArray(UUID[]::new), Timestamp.from(after)).query(Long.class).single() == slices.size();
        }
        catch (RuntimeException e) {
            return false;       // the pool is still reconnecting after the database restart
        }
    }

    /** PostgreSQL on a fixed port and data folder, so that it can be stopped and started again with its data. */
    private EmbeddedPostgres startPostgres(int port) throws IOException {
        Path data = dir.resolve("pg");
        Files.createDirectories(data);
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
    }

    /** A whole server on a fixed port, so that the agent finds it again after a restart. */
    private ConfigurableApplicationContext startServer(int dbPort, int httpPort) {
        return new SpringApplicationBuilder(VgpuHubApplication.class).run(
                "--spring.datasource.url=jdbc:postgresql://localhost:" + dbPort + "/postgres",
                "--spring.datasource.username=postgres",
                // While the database is down a request fails after 2 s rather than waiting 30 s for a connection.
                "--spring.datasource.hikari.connection-timeout=2000",
                "--server.port=" + httpPort,
                // Stopped as a crash or a redeploy would stop it, cutting the agent's long-poll and any upload in flight.
                "--server.shutdown=immediate",
                "--vgpuhub.agent-api.max-wait=2s",
                "--vgpuhub.demo.agent-token=" + TOKEN);
    }

    /**
     * A free port outside the kernel's ephemeral range: from {@value #LOWEST_PORT} up to the range, else above it, else
     * below {@value #LOWEST_PORT}. The port is closed again at once and stays unbound through an outage and a server
     * start; one from the ephemeral range (port 0) could meanwhile be handed to any process on the machine that connects
     * out or binds port 0, which would make the restart fail with "address in use". Only where the ephemeral range
     * leaves no port outside it is a random port inside it taken, a small risk rather than no test.
     */
    private static int freePort(int besides) {
        int[] ephemeral = ephemeralRange();
        List<int[]> ranges = new ArrayList<>();
        ranges.add(new int[] { LOWEST_PORT, ephemeral[0] - 1 });
        ranges.add(new int[] { ephemeral[1] + 1, 65535 });
        ranges.add(new int[] { 1024, Math.min(LOWEST_PORT, ephemeral[0]) - 1 });
        ranges.add(new int[] { Math.max(1024, ephemeral[0]), Math.min(65535, ephemeral[1]) });
        List<String> tried = new ArrayList<>();
        for (int[] range : ranges) {
            if (range[1] < range[0]) {
                continue;
            }
            for (int attempt = 0; attempt < 100; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(range[0], range[1] + 1);
                if (port != besides && isFree(port)) {
                    return port;
                }
            }
            tried.add(range[0] + ".." + range[1]);
        }
        throw new IllegalStateException("no free port found in " + tried + " (100 random tries each; ephemeral range "
                + ephemeral[0] + ".." + ephemeral[1] + ")");
    }

    /** Linux's ip_local_port_range, or its default where it cannot be read. */
    private static int[] ephemeralRange() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[] { Integer.parseInt(range[0]), Integer.parseInt(range[1]) };
        }
        catch (IOException | RuntimeException e) {
            return new int[] { 32768, 60999 };
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        }
        catch (IOException taken) {
            return false;
        }
    }
}
