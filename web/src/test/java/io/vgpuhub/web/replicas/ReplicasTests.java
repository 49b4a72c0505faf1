package io.vgpuhub.web.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vgpuhub.web.agentapi.HostTokens;
import io.vgpuhub.web.apitoken.ApiTokens;
import io.vgpuhub.web.licensing.LicenseSeatFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two server replicas on one database behave as one server: a login on one is a login on the other, each scheduled
 * job runs once per interval across both, concurrent requests on both never double-book a GPU, and an agent
 * long-polling one replica hears at once of a slice requested on the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("SESSION=([^;]+)");

    TwoReplicas replicas;

    @BeforeAll
    void startTwoReplicas() throws Exception {
        replicas = new TwoReplicas();
        LicenseSeatFixtures.grantGenerousSeats(replicas.jdbc);
    }

    @AfterAll
    void stop() throws Exception {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    @Order(1)
    void aTenantSignedInOnOneReplicaIsSignedInOnTheOtherAndSigningOutOnEitherEndsIt() {
        ConfigurableApplicationContext a = replicas.a;
        ConfigurableApplicationContext b = replicas.b;
        HttpResponse<String> loginPage = get(a, "/login", null);
        String session = sessionCookie(loginPage);
        String csrf = csrf(loginPage.body());

        HttpResponse<String> login = postForm(a, "/login", session,
                Map.of("username", "alice", "password", "demo", "_csrf", csrf));
        assertThat(login.statusCode()).as("signed in on replica A").isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).doesNotContain("error"));
        // Signing in changes the session id (fixation protection); the new cookie is the one both replicas know.
        session = sessionCookie(login);

        HttpResponse<String> onB = get(b, "/slices", session);
        assertThat(onB.statusCode()).as("replica B knows the session replica A signed in").isEqualTo(200);
        assertThat(onB.body()).contains("Alice Chen");

        HttpResponse<String> logout = postForm(b, "/logout", session, Map.of("_csrf", csrf(onB.body())));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).contains("/login?logout"));

        HttpResponse<String> onA = get(a, "/slices", session);
        assertThat(onA.statusCode()).as("signed out on B is signed out on A").isEqualTo(302);
        assertThat(onA.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/login"));
    }

    @Test
    @Order(2)
    void eachScheduledJobRunsOncePerIntervalAcrossBothReplicas() throws Exception {
        Map<String, Duration> jobs = Map.of(
                "provisioning-timeouts", TwoReplicas.CHECK_INTERVAL,
                "silent-hosts", TwoReplicas.CHECK_INTERVAL,
                "lease-expiry", TwoReplicas.CHECK_INTERVAL,
                "allocation-rollup", TwoReplicas.ALLOCATION_INTERVAL,
                "usage-maintenance", TwoReplicas.MAINTENANCE_INTERVAL,
                "session-cleanup", TwoReplicas.SESSION_CLEANUP_INTERVAL,
                "login-attempt-cleanup", TwoReplicas.LOGIN_ATTEMPT_CLEANUP_INTERVAL);
        String expired = UUID.randomUUID().toString();
        replicas.jdbc.sql("""
                insert into spring_session (primary_id, session_id, creation_time, last_access_time, max_inactive_interval,
                                            expiry_time)
                values (?, ?, 0, 0, 60, 60000)""").params(expired, UUID.randomUUID().toString()).update();
        // Each run stamps its lock row with its start (database time) and keeps the row for most of the interval, so
        // sampling the rows far more often than that sees every run.
        Map<String, TreeSet<Timestamp>> runs = new HashMap<>();
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < until) {
            replicas.jdbc.sql("select name, locked_at from shedlock").query((rs, row) -> {
                runs.computeIfAbsent(rs.getString(1), name -> new TreeSet<>()).add(rs.getTimestamp(2));
                return null;
            }).list();
            Thread.sleep(40);
        }

        jobs.forEach((job, interval) -> {
            TreeSet<Timestamp> starts = runs.getOrDefault(job, new TreeSet<>());
            assertThat(starts).as("%s ran during the test", job).hasSizeGreaterThanOrEqualTo(3);
            List<Long> gaps = new ArrayList<>();
            Timestamp previous = null;
            for (Timestamp start : starts) {
                if (previous != null) {
                    gaps.add(start.getTime() - previous.getTime());
                }
                previous = start;
            }
            // Two replicas each firing every interval, unlocked, would start runs milliseconds apart.
            assertThat(gaps).as("%s: milliseconds between runs across both replicas (interval %s)", job, interval)
                    .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(interval.toMillis() * 9 / 10 - 5));
        });
        assertThat(replicas.jdbc.sql("select count(*) from spring_session where primary_id = ?").param(expired)
                .query(Long.class).single()).as("the expired session is deleted").isZero();
    }

    @Test
    @Order(3)
    void concurrentRequestsOnBothReplicasNeverDoubleBookAGpu() throws Exception {
        int capacity = 4;
        long host = onlineA40Host("replicas-placement", capacity, "unused-" + UUID.randomUUID());
        String token = tenantToken("Replicas Placement");
        int requests = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            for (int i = 0; i < requests; i++) {
                ConfigurableApplicationContext replica = i % 2 == 0 ? replicas.a : replicas.b;
                String vm = "vm-" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return requestSlice(replica, token, vm);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                statuses.add(response.statusCode());
                if (response.statusCode() != 201) {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
                    assertThat(response.body()).contains("urn:vgpuhub:problem:no-capacity");
                }
            }
            assertThat(statuses).filteredOn(status -> status == 201).as("placed: one per free virtual function")
                    .hasSize(capacity);
            assertThat(statuses).filteredOn(status -> status == 409).hasSize(requests - capacity);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(replicas.jdbc.sql("""
                select count(*) from slice s join gpu g on g.id = s.gpu_id
                where g.host_id = ? and s.state not in ('RELEASED', 'FAILED')""").param(host).query(Long.class).single())
                .isEqualTo(capacity);
        assertThat(replicas.jdbc.sql("""
                select count(*) from (select vf_id from slice where vf_id is not null and state not in ('RELEASED', 'FAILED')
                                      group by vf_id having count(*) > 1) doubled""").query(Long.class).single())
                .as("virtual functions holding two slices").isZero();
    }

    @Test
    @Order(4)
    void anAgentLongPollingOneReplicaHearsAtOnceOfASliceRequestedOnTheOther() throws Exception {
        String agentToken = "replicas-agent-" + UUID.randomUUID();
        long host = onlineA40Host("replicas-poll", 1, agentToken);
        String tenant = tenantToken("Replicas Poll");
        long generation = replicas.jdbc.sql("select desired_generation from host where id = ?").param(host)
                .query(Long.class).single();
        ExecutorService agent = Executors.newSingleThreadExecutor();
        try {
            long[] answeredAt = new long[1];
            Future<HttpResponse<String>> poll = agent.submit(() -> {
                HttpResponse<String> response = replicas.send(HttpRequest.newBuilder(replicas.uri(replicas.b,
                                "/api/agent/v1/desired-state?after=" + generation + "&waitSeconds=20"))
                        .header("Authorization", "Bearer " + agentToken).timeout(Duration.ofSeconds(30)).GET().build());
                answeredAt[0] = System.nanoTime();
                return response;
            });
            Thread.sleep(1500);     // the poll is waiting on B
            assertThat(poll).isNotDone();

            long requestedAt = System.nanoTime();
            HttpResponse<String> requested = requestSlice(replicas.a, tenant, "polled-vm");
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
            HttpResponse<String> answer = poll.get();

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"generation\":" + (generation + 1)).contains("0000:41:01.0");
            assertThat(Duration.ofNanos(answeredAt[0] - requestedAt)).as("well within the 20 s the agent would wait")
                    .isLessThan(Duration.ofSeconds(2));
            for (String replica : List.of("a", "b")) {
                assertThat(replicas.jdbc.sql("""
                        select count(*) from pg_stat_activity
                        where application_name = ? and (query like 'listen %' or query = 'select 1')""")
                        .param(TwoReplicas.applicationName(replica)).query(Long.class).single())
                        .as("replica %s listens on a connection made with the pool's data-source properties", replica)
                        .isEqualTo(1);
            }
        }
        finally {
            agent.shutdownNow();
        }
    }

    private HttpResponse<String> requestSlice(ConfigurableApplicationContext replica, String token, String vm) {
        return replicas.send(HttpRequest.newBuilder(replicas.uri(replica, "/api/v1/slices"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"offeringCode\":\"A40-4Q\",\"vmName\":\"" + vm + "\"}"))
                .build());
    }

    /** An online host with one empty A40 in vGPU mode and {@code vfs} free virtual functions. */
    private long onlineA40Host(String name, int vfs, String agentToken) {
        long hostId = replicas.jdbc.sql("""
                insert into host (name, agent_token_hash, state, last_seen_at) values (?, ?, 'ONLINE', now()) returning id
                """).params(name, HostTokens.hash(agentToken)).query(Long.class).single();
        long gpuId = replicas.jdbc.sql("""
                insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode)
                values (?, '0000:41:00.0', ?, 'A40', 46068, 'VGPU') returning id
                """).params(hostId, "GPU-" + UUID.randomUUID()).query(Long.class).single();
        for (int vf = 0; vf < vfs; vf++) {
            replicas.jdbc.sql("insert into virtual_function (gpu_id, pci_address) values (?, ?)")
                    .params(gpuId, "0000:41:%02x.%d".formatted(1 + vf / 8, vf % 8)).update();
        }
        return hostId;
    }

    /** A fresh tenant with no quota, and an API token of one of its users. */
    private String tenantToken(String tenantName) {
        long tenantId = replicas.jdbc.sql("insert into tenant (name) values (?) returning id").param(tenantName)
                .query(Long.class).single();
        long userId = replicas.jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, ?, ?, '{noop}not-a-real-password-hash') returning id""")
                .params(tenantId, tenantName.replace(' ', '-').toLowerCase(), tenantName).query(Long.class).single();
        replicas.jdbc.sql("insert into user_role (user_id, role) values (?, 'TENANT_USER')").param(userId).update();
        return replicas.a.getBean(ApiTokens.class).issue(tenantId, userId, "test", "replicas", null).secret();
    }

    private HttpResponse<String> get(ConfigurableApplicationContext replica, String path, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(replicas.uri(replica, path)).GET();
        if (session != null) {
            request.header("Cookie", "SESSION=" + session);
        }
        return replicas.send(request.build());
    }

    private HttpResponse<String> postForm(ConfigurableApplicationContext replica, String path, String session,
            Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((key, value) -> body.append(body.isEmpty() ? "" : "&").append(key).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return replicas.send(HttpRequest.newBuilder(replicas.uri(replica, path))
                .header("Cookie", "SESSION=" + session)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().map(SESSION::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("no SESSION cookie in " + response.headers().map()));
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
        return matcher.group(1);
    }
}
