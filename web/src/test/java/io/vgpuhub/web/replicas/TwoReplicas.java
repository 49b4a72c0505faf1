package io.vgpuhub.web.replicas;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.vgpuhub.web.VgpuHubApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two whole servers (own Spring context, own HTTP port, own scheduler) on one PostgreSQL, as two replicas behind a load
 * balancer run. Scheduled jobs run at test speed so several of their intervals pass within a test.
 */
final class TwoReplicas implements AutoCloseable {

    static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
    static final Duration ALLOCATION_INTERVAL = Duration.ofSeconds(1);
    static final Duration SESSION_CLEANUP_INTERVAL = Duration.ofMillis(500);
    static final Duration LOGIN_ATTEMPT_CLEANUP_INTERVAL = Duration.ofMillis(500);
    /** The daily usage maintenance, every second here. */
    static final Duration MAINTENANCE_INTERVAL = Duration.ofSeconds(1);

    final EmbeddedPostgres postgres;
    final ConfigurableApplicationContext a;
    final ConfigurableApplicationContext b;
    final JdbcClient jdbc;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    TwoReplicas() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        a = start("a");
        b = start("b");
        jdbc = a.getBean(JdbcClient.class);
    }

    private ConfigurableApplicationContext start(String name) {
        // Command-line arguments: they outrank application.properties (default properties would not).
        return new SpringApplicationBuilder(VgpuHubApplication.class).run(
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                // The listener's own connection must carry the pool's data-source properties too.
                "--spring.datasource.hikari.data-source-properties.ApplicationName=" + applicationName(name),
                "--server.port=0",
                "--spring.application.instance-name=" + name,
                "--vgpuhub.lifecycle.check-interval=" + CHECK_INTERVAL.toMillis() + "ms",
                "--vgpuhub.sessions.cleanup-interval=" + SESSION_CLEANUP_INTERVAL.toMillis() + "ms",
                "--vgpuhub.security.login.cleanup-interval=" + LOGIN_ATTEMPT_CLEANUP_INTERVAL.toMillis() + "ms",
                "--vgpuhub.metering.allocation.interval=" + ALLOCATION_INTERVAL.toSeconds() + "s",
                "--vgpuhub.metering.usage.maintenance-cron=* * * * * *",
                // Lease expiry's first run waits one grace after start-up: short here, so it runs during the test.
                "--vgpuhub.licensing.lease-grace=2s",
                "--vgpuhub.licensing.renew-interval=0s");
    }

    /** What each replica's connections call themselves in PostgreSQL (pg_stat_activity.application_name). */
    static String applicationName(String replica) {
        return "vgpuhub-replica-" + replica;
    }

    URI uri(ConfigurableApplicationContext replica, String path) {
        String port = replica.getEnvironment().getRequiredProperty("local.server.port");
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (ConfigurableApplicationContext context : List.of(b, a)) {
            if (Objects.nonNull(context)) {
                context.close();
            }
        }
        postgres.close();
    }
}
