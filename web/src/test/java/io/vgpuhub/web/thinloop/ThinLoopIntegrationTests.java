package io.vgpuhub.web.thinloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vgpuhub.agent.AgentSettings;
import io.vgpuhub.agent.HostAgent;
import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.web.agentapi.HostTokens;
import io.vgpuhub.web.licensing.LicenseSeatFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole thin loop, nothing faked: a tenant logs in and requests an A40-8Q over HTTP, the host agent (the real
 * agent code, in a thread, against the simulated GPU host) fetches the desired state over HTTP, creates the mdev
 * through its sysfs code, reports READY, uploads a usage sample; the tenant's page shows the slice READY with its
 * mdev UUID and the sample. Then the slice is released and the mdev disappears.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThinLoopIntegrationTests {

    private static final Pattern MDEV_UUID = Pattern.compile("<code class=\"mdev-uuid\">([0-9a-f-]{36})</code>");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Value("${vgpuhub.demo.agent-token}")
    String agentToken;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    static Path agentState;

    HostAgent agent;

    @BeforeAll
    void startTheSimulatedHostAgent() throws Exception {
        LicenseSeatFixtures.grantGenerousSeats(jdbc);
        Path hostFile = agentState.resolve("host.conf");
        Files.writeString(hostFile, """
                gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f memory_mib=46068 vfs=4
                """);
        AgentSettings settings = AgentSettings.simulated(URI.create("http://localhost:" + port), agentToken,
                        agentState, hostFile)
                .withSampleInterval(Duration.ofMillis(500))
                .withPollWait(Duration.ofSeconds(5));
        agent = HostAgent.start(settings);
        eventually("the agent reported its GPU and VFs", () ->
                jdbc.sql("select count(*) from virtual_function").query(Long.class).single() == 4);
    }

    @AfterAll
    void stopTheAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aTenantRequestsAVgpuAndSeesItReadyWithItsMdevUuidAndUsage() throws Exception {
        PortalBrowser alice = new PortalBrowser(URI.create("http://localhost:" + port));
        alice.logIn("alice", "demo");

        String page = alice.get("/slices").body();
        Matcher option = Pattern.compile("<option value=\"(\\d+)\">A40-8Q \\(").matcher(page);
        assertThat(option.find()).as("A40-8Q is in the catalog").isTrue();
        var requested = alice.post("/slices", Map.of("offeringId", option.group(1), "vmName", "render-01"));
        assertThat(requested.statusCode()).isEqualTo(302);

        String ready = eventuallyPage(alice, "the slice is READY with its mdev UUID",
                body -> body.contains("state-READY") && MDEV_UUID.matcher(body).find());
        Matcher uuid = MDEV_UUID.matcher(ready);
        assertThat(uuid.find()).isTrue();
        UUID mdev = UUID.fromString(uuid.group(1));
        assertThat(ready).contains("render-01", "&lt;hostdev mode=&#39;subsystem&#39; type=&#39;mdev&#39;");

        Path device = agentState.resolve("sim/sys/bus/mdev/devices").resolve(mdev.toString());
        assertThat(device).as("the mdev exists on the simulated host").exists();
        assertThat(jdbc.sql("select to_state from slice_event e join slice s on s.id = e.slice_id where s.uuid = ? order by e.id")
                .param(mdev).query(String.class).list())
                .containsExactly("REQUESTED", "PLACED", "PROVISIONING", "READY");

        String withUsage = eventuallyPage(alice, "the page shows a usage sample", body -> body.contains("% GPU ·"));
        assertThat(withUsage).doesNotContain("no sample yet").contains("guest license: ");
        assertThat(jdbc.sql("select count(*) from usage_sample u join slice s on s.id = u.slice_id where s.uuid = ?")
                .param(mdev).query(Long.class).single()).isPositive();

        alice.post("/slices/" + mdev + "/release", Map.of());
        eventually("the slice is RELEASED and its mdev removed", () ->
                "RELEASED".equals(jdbc.sql("select state from slice where uuid = ?").param(mdev).query(String.class).single())
                        && !Files.exists(device));
        assertThat(jdbc.sql("select to_state from slice_event e join slice s on s.id = e.slice_id where s.uuid = ? order by e.id")
                .param(mdev).query(String.class).list())
                .endsWith("RELEASING", "RELEASED");
    }

    @Test
    void theAgentsReadinessChecksReachTheOperatorsHostPage() throws Exception {
        long hostId = jdbc.sql("select h.id from host h join gpu g on g.host_id = h.id where g.pci_address = '0000:41:00.0'")
                .query(Long.class).single();
        eventually("the server stored the agent's readiness", () ->
                jdbc.sql("select readiness is not null from host where id = ?").param(hostId).query(Boolean.class).single());
        PortalBrowser olivia = new PortalBrowser(URI.create("http://localhost:" + port));
        olivia.logIn("olivia", "demo");
        String page = olivia.get("/operator/hosts/" + hostId).body();
        // the simulated host is ready: every check the agent ran arrived, and none of them failed
        assertThat(page).contains("data-scope=\"host\"", "data-scope=\"0000:41:00.0\"", "data-check=\"iommu-cmdline\"",
                "data-check=\"sriov\"", "readiness-READY").doesNotContain("check-FAIL");
    }

    @Test
    void anMdevMadeByHandOnTheHostIsShownToTheOperatorAndLeftAlone() throws Exception {
        UUID byHand = UUID.randomUUID();
        Sysfs sysfs = new Sysfs(agentState.resolve("sim/sys"), KernelFiles.load("vgpusim"));
        sysfs.createMdev("0000:41:00.7", "nvidia-557", byHand);
        try {
            PortalBrowser olivia = new PortalBrowser(URI.create("http://localhost:" + port));
            olivia.logIn("olivia", "demo");
            eventually("the operator's hosts page lists the hand-made mdev",
                    () -> olivia.get("/operator/hosts").body().contains(byHand.toString()));
            assertThat(sysfs.mdevs()).extracting(Mdev::uuid).contains(byHand);
        }
        finally {
            sysfs.removeMdev(byHand);
        }
    }

    @Test
    void theAgentApiRefusesAWrongTokenAndHidesOneHostsSlicesFromAnother() throws Exception {
        assertThat(agentCall("not-a-host-token", "GET", "/desired-state", null).statusCode()).isEqualTo(401);

        UUID simHostSlice = UUID.randomUUID();
        long otherTenant = jdbc.sql("insert into tenant (name) values ('Other Co') returning id").query(Long.class).single();
        jdbc.sql("insert into app_user (tenant_id, username, display_name, password_hash) values (?, 'bob', 'Bob', ?)")
                .params(otherTenant, "{noop}irrelevant-for-this-test").update();
        jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id, vf_id, failure_reason)
                select ?, u.tenant_id, u.id, o.id, 'VGPU', 'vm-x', 'FAILED', v.gpu_id, v.id, 'test fixture'
                from app_user u, offering o, virtual_function v
                where u.username = 'bob' and o.code = 'A40-8Q' order by v.pci_address desc limit 1
                """).param(simHostSlice).update();
        String otherToken = "other-host-token-" + UUID.randomUUID();
        jdbc.sql("insert into host (name, agent_token_hash) values ('other-host', ?)").param(HostTokens.hash(otherToken)).update();

        var observed = agentCall(otherToken, "POST", "/slices/" + simHostSlice + "/observed", "{\"state\":\"READY\"}");
        assertThat(observed.statusCode()).isEqualTo(404);
        assertThat(observed.body()).contains("Unknown slice");
        var usage = agentCall(otherToken, "POST", "/usage", """
                {"batchId":"%s","samples":[{"sliceId":"%s","sampledAt":"%s","gpuUtilizationPercent":5,"memoryUsedMib":1}]}
                """.formatted(UUID.randomUUID(), simHostSlice, Instant.now()));
        assertThat(usage.statusCode()).isEqualTo(422);
        assertThat(jdbc.sql("select state from slice where uuid = ?").param(simHostSlice).query(String.class).single())
                .isEqualTo("FAILED");
        assertThat(jdbc.sql("select count(*) from usage_sample u join slice s on s.id = u.slice_id where s.uuid = ?")
                .param(simHostSlice).query(Long.class).single()).isZero();
    }

    private HttpResponse<String> agentCall(String token, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/agent/v1" + path))
                .header("Authorization", "Bearer " + token);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String eventuallyPage(PortalBrowser browser, String what, Predicate<String> done)
            throws Exception {
        String[] last = new String[1];
        eventually(what, () -> {
            last[0] = browser.get("/slices").body();
            return done.test(last[0]);
        });
        return last[0];
    }

    private static void eventually(String what, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Gave up after " + PATIENCE.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
