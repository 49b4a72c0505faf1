package io.vgpuhub.web.faults;

import static io.vgpuhub.web.faults.AgentProcess.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.SeatCount;
import io.vgpuhub.metering.licensing.SeatLeases;
import io.vgpuhub.web.licensing.LicenseSeatFixtures;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A host whose agent dies (SIGKILL) while its slices hold vWS seats stays silent longer than the lease grace: the
 * server marks it OFFLINE, the leases expire and the seats are free for others, and the tenant's page flags the slices
 * (host not reporting, unlicensed). When the agent is back the slices take seats again, as many as are free by then:
 * here the license administrator cut the entitlement to one seat meanwhile, so one slice is licensed and the other runs
 * flagged. Settings are shortened so that this takes seconds (host-offline-after 3 s, lease grace 6 s), yet stay long
 * enough that an agent stalled for a moment on a busy shared machine is not taken for a dead one before the kill.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vgpuhub.placement.host-offline-after=3s",
        "vgpuhub.licensing.lease-grace=6s",
        "vgpuhub.licensing.renew-interval=0s",
        "vgpuhub.lifecycle.check-interval=200ms" })
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SilentHostIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Value("${vgpuhub.demo.agent-token}")
    String agentToken;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SliceRequests requests;

    @Autowired
    SeatLeases seats;

    @Autowired
    MockMvc mvc;

    @Autowired
    UserDetailsService users;

    @TempDir
    static Path stateDir;

    AgentProcess agent;

    @AfterAll
    void stopTheAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aSilentHostsSeatsReturnItsSlicesAreFlaggedAndTheyRetakeSeatsWhenItIsBack() throws Exception {
        LicenseSeatFixtures.clearEntitlements(jdbc);
        long entitlement = LicenseSeatFixtures.entitle(jdbc, "VWS", 2, Instant.parse("2020-01-01T00:00:00Z"), null, "PO-FAULTS");
        FaultFixtures.liftTenantQuotas(jdbc);
        Requester alice = FaultFixtures.alice(jdbc);
        Path hostFile = FaultFixtures.hostFile(stateDir, FaultFixtures.AN_A40);
        agent = startAgent(hostFile);
        FaultFixtures.awaitTheA40Reported(jdbc, agent, PATIENCE);

        long offering = FaultFixtures.offering(jdbc, "A40-8Q");
        List<UUID> slices = requests.request(alice, offering, "cad-01", 2).stream().map(SliceView::uuid).toList();
        eventually("both vWS slices are READY", PATIENCE, agent, () -> ready(slices) == 2);
        assertThat(vws()).extracting(SeatCount::entitled, SeatCount::used, SeatCount::flagged).containsExactly(2L, 2L, 0L);
        assertThat(alicesSlicesPage()).contains("seat-held").doesNotContain("host-offline", "class=\"warning small unlicensed\"");

        agent.kill();
        eventually("the silent host is OFFLINE", PATIENCE, null, () -> "OFFLINE".equals(hostState()));
        assertThat(alicesSlicesPage()).as("the tenant sees that the host stopped reporting").contains("host-offline");
        eventually("the leases expired and both seats are free", PATIENCE, null, () -> vws().used() == 0);
        assertThat(latestLeases(slices)).as("each slice's latest lease")
                .isEqualTo(slices.stream().collect(Collectors.toMap(slice -> slice, slice -> "EXPIRED")));
        assertThat(ready(slices)).as("the slices themselves are not given up").isEqualTo(2);
        assertThat(alicesSlicesPage()).contains("host-offline", "class=\"warning small unlicensed\"").doesNotContain("seat-held");
        assertThat(jdbc.sql("select distinct target from audit_event where action = 'license.lease.expired'")
                .query(String.class).list()).as("each slice's expiry is audited")
                .containsExactlyInAnyOrderElementsOf(slices.stream().map(slice -> "slice " + slice).toList());

        // Meanwhile the license administrator cuts the entitlement to one seat.
        jdbc.sql("update license_entitlement set seats = 1 where id = ?").param(entitlement).update();
        agent = startAgent(hostFile);
        eventually("the host is ONLINE again and one slice holds the one seat, the other runs flagged", PATIENCE, agent, () ->
                "ONLINE".equals(hostState()) && vws().used() == 1 && vws().flagged() == 1);
        String page = alicesSlicesPage();
        assertThat(page).doesNotContain("host-offline").contains("seat-held", "class=\"warning small unlicensed\"");
        assertThat(ready(slices)).isEqualTo(2);
    }

    /** How each slice's latest lease ended (RUNNING while it runs). */
    private Map<UUID, String> latestLeases(List<UUID> slices) {
        return jdbc.sql("""
                select distinct on (s.uuid) s.uuid, coalesce(l.end_reason, 'RUNNING') as end_reason
                from license_lease l join slice s on s.id = l.slice_id where s.uuid = any(?)
                order by s.uuid, l.acquired_at desc, l.id desc
                """).param(slices.toArray(UUID[]::new))
                .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private SeatCount vws() {
        return seats.seatsNow().get(Edition.VWS);
    }

    private int ready(List<UUID> slices) {
        return jdbc.sql("select count(*) from slice where uuid = any(?) and state = 'READY'")
                .param(slices.toArray(UUID[]::new)).query(Integer.class).single();
    }

    private String hostState() {
        return jdbc.sql("select state from host where name = 'sim-host-1'").query(String.class).single();
    }

    private String alicesSlicesPage() throws Exception {
        return mvc.perform(get("/slices").with(user(users.loadUserByUsername("alice"))))
                .andReturn().getResponse().getContentAsString();
    }

    private AgentProcess startAgent(Path hostFile) {
        return AgentProcess.start(URI.create("http://localhost:" + port), agentToken, stateDir, hostFile,
                "--sample-interval", "1s", "--heartbeat-interval", "300ms");
    }
}
