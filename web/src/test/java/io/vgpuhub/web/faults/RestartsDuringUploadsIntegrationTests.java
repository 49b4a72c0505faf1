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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.vgpuhub.web.VgpuHubApplication;
import io.vgpuhub.web.licensing.LicenseSeatFixtures;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The server stopped and started again, and later PostgreSQL stopped and started again, while the real agent samples
 * two READY slices every 200 ms and uploads: the agent spools through both outages and then drains, and the database
 * holds every sample exactly once. Proven per slice: no long gap in the stored samples over the whole run and nearly
 * as many samples as the run's length allows (a lost batch would leave a gap, many lost batches a shortfall), every
 * batch's samples stored (sum of usage_batch.sample_count = count(usage_sample):
 * a sample sent under two batch ids would be skipped the second time and break the equality), and the hourly rollup
 * written with them counts each sample once.
 */
class RestartsDuringUploadsIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(200);
    /**
     * A gap this long means samples were lost; a sampler starved while a restarting server keeps both cores of a
     * shared machine busy is not. Shorter losses show in the count: at least this share of the samples the run's
     * length allows must be stored.
     */
    private static final Duration LONGEST_GAP = Duration.ofSeconds(4);
    private static final double LEAST_SHARE_STORED = 0.8;
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
        Path hostFile = dir.resolve("host.conf");
        Files.writeString(hostFile, """
                gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f memory_mib=46068 vfs=4
                """);
        agent = AgentProcess.start(URI.create("http://localhost:" + httpPort), TOKEN, dir.resolve("agent"), hostFile,
                "--sample-interval", SAMPLE_INTERVAL.toMillis() + "ms", "--heartbeat-interval", "1s");
        eventually("the agent reported its GPU", PATIENCE, agent, () ->
                jdbc.sql("select count(*) from virtual_function").query(Long.class).single() == 4);
        Requester alice = jdbc.sql("select tenant_id, id from app_user where username = 'alice'")
                .query((rs, n) -> new Requester(rs.getLong(1), rs.getLong(2), "user:alice")).single();
        long offering = jdbc.sql("select id from offering where code = 'A40-8Q'").query(Long.class).single();
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
            Duration span = Duration.between(times.get(0), times.get(times.size() - 1));
            long possible = span.toMillis() / SAMPLE_INTERVAL.toMillis() + 1;
            assertThat((double) times.size()).as("samples of %s stored over %s, of %d possible", slice, span, possible)
                    .isGreaterThanOrEqualTo(LEAST_SHARE_STORED * possible);
        }
        // One statement, so one snapshot: the agent keeps uploading, and each batch lands whole in one statement too.
        record Totals(long stored, long batched, long rolledUp) {
        }
        Totals totals = jdbc().sql("""
                select (select count(*) from usage_sample) as stored,
                       (select coalesce(sum(sample_count), 0) from usage_batch) as batched,
                       (select coalesce(sum(sample_count), 0) from usage_hourly) as rolled_up""")
                .query(Totals.class).single();
        assertThat(totals.batched()).as("every sample of every accepted batch is stored, none was sent under two batch ids")
                .isEqualTo(totals.stored());
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
     * A free port below the kernel's ephemeral range. The port is closed again at once and stays unbound through an
     * outage and a server start; one from the ephemeral range (port 0) could meanwhile be handed to any process on the
     * machine that connects out or binds port 0, which would make the restart fail with "address in use".
     */
    private static int freePort(int besides) throws IOException {
        int[] ephemeral = ephemeralRange();
        int low = LOWEST_PORT;
        int high = ephemeral[0] - 1;
        if (high - low < 1000) {
            low = ephemeral[1] + 1;     // the ephemeral range starts low: take the ports above it instead
            high = 65535;
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(low, high + 1);
            if (port != besides && isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + low + ".." + high);
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
