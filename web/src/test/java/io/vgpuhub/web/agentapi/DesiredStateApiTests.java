package io.vgpuhub.web.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vgpuhub.web.agentapi.AgentApiFixtures.Host;
import io.vgpuhub.web.slice.HostGenerations;
import io.vgpuhub.web.slice.Requester;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.support.TransactionTemplate;

/** GET /api/agent/v1/desired-state: the GPU modes and devices a host should have, and only that host's. */
@AgentApiTest
class DesiredStateApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures fixtures;

    @Autowired
    HostGenerations generations;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationContext context;

    @Test
    void theStateCarriesEachGpusWantedModeAndEveryKindOfSliceWithItsOwnFields() throws Exception {
        Host host = fixtures.host();
        Requester tenant = fixtures.tenant();
        long a40 = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 2);
        long a100 = fixtures.gpu(host, "0000:81:00.0", "A100-80GB", "MIG", 0);
        long h100 = fixtures.gpu(host, "0000:c1:00.0", "H100-80GB", "PASSTHROUGH", 0);
        UUID vgpu = fixtures.vgpuSlice(tenant, a40, "A40-8Q", "READY");
        UUID mig = fixtures.migSlice(tenant, a100, "A100-80GB 3g.40gb", 4, 4, "PLACED");
        UUID passthrough = fixtures.passthroughSlice(tenant, h100, "H100-80GB whole GPU", "PROVISIONING");
        fixtures.migSlice(tenant, a100, "A100-80GB 3g.40gb", 0, 4, "RELEASING");

        mvc.perform(host.get("/desired-state?after=0&waitSeconds=0"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.generation").value(fixtures.generation(host)))
                .andExpect(jsonPath("$.gpus", hasSize(3)))
                .andExpect(jsonPath("$.gpus[0].pciAddress").value("0000:41:00.0"))
                .andExpect(jsonPath("$.gpus[0].mode").value("VGPU"))
                .andExpect(jsonPath("$.gpus[1].mode").value("MIG"))
                .andExpect(jsonPath("$.gpus[2].pciAddress").value("0000:c1:00.0"))
                .andExpect(jsonPath("$.gpus[2].mode").value("PASSTHROUGH"))
                .andExpect(jsonPath("$.slices", hasSize(3)))
                .andExpect(jsonPath("$.slices[0].sliceId").value(vgpu.toString()))
                .andExpect(jsonPath("$.slices[0].kind").value("VGPU"))
                .andExpect(jsonPath("$.slices[0].gpuPciAddress").value("0000:41:00.0"))
                .andExpect(jsonPath("$.slices[0].vfPciAddress").value("0000:41:00.1"))
                .andExpect(jsonPath("$.slices[0].vgpuType").value("A40-8Q"))
                .andExpect(jsonPath("$.slices[0].migProfile").value(nullValue()))
                .andExpect(jsonPath("$.slices[1].sliceId").value(mig.toString()))
                .andExpect(jsonPath("$.slices[1].kind").value("MIG"))
                .andExpect(jsonPath("$.slices[1].gpuPciAddress").value("0000:81:00.0"))
                .andExpect(jsonPath("$.slices[1].vfPciAddress").value(nullValue()))
                .andExpect(jsonPath("$.slices[1].vgpuType").value(nullValue()))
                .andExpect(jsonPath("$.slices[1].migProfile").value("3g.40gb"))
                .andExpect(jsonPath("$.slices[1].migStartSlot").value(4))
                .andExpect(jsonPath("$.slices[1].migSize").value(4))
                .andExpect(jsonPath("$.slices[2].sliceId").value(passthrough.toString()))
                .andExpect(jsonPath("$.slices[2].kind").value("PASSTHROUGH"))
                .andExpect(jsonPath("$.slices[2].gpuPciAddress").value("0000:c1:00.0"))
                .andExpect(jsonPath("$.slices[2].vfPciAddress").value(nullValue()))
                .andExpect(jsonPath("$.slices[2].migStartSlot").value(nullValue()));

        assertThat(fixtures.state(mig)).as("the agent now knows of the placed slice").isEqualTo("PROVISIONING");
        assertThat(jdbc.sql("""
                select e.actor || ' ' || e.reason from slice_event e join slice s on s.id = e.slice_id
                where s.uuid = ? and e.to_state = 'PROVISIONING'
                """).param(mig).query(String.class).single())
                .isEqualTo("agent:" + host.name() + " sent to the agent in generation " + fixtures.generation(host));
        assertThat(jdbc.sql("select state, last_seen_at is not null as seen from host where id = ?").param(host.id())
                .query().singleRow()).as("a poll is a sign of life").containsEntry("state", "ONLINE").containsEntry("seen", true);
    }

    @Test
    void aHostNeverSeesAnotherHostsSlicesOrGpus() throws Exception {
        Host a = fixtures.host();
        Host b = fixtures.host();
        Requester tenant = fixtures.tenant();
        long aGpu = fixtures.gpu(a, "0000:41:00.0", "A40", "VGPU", 1);
        UUID aSlice = fixtures.vgpuSlice(tenant, aGpu, "A40-8Q", "PLACED");

        mvc.perform(b.get("/desired-state?waitSeconds=0"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.gpus", hasSize(0)))
                .andExpect(jsonPath("$.slices", hasSize(0)));
        assertThat(fixtures.state(aSlice)).as("b's poll did not touch a's slice").isEqualTo("PLACED");
    }

    @Test
    void aGpuModeChangeBumpsTheGenerationAndWakesTheWaitingAgentWithTheNewMode() throws Exception {
        Host host = fixtures.host();
        long gpu = fixtures.gpu(host, "0000:81:00.0", "A100-40GB", "PASSTHROUGH", 0);
        long before = fixtures.generation(host);

        Instant asked = Instant.now();
        CompletableFuture<MvcResult> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return mvc.perform(host.get("/desired-state?after=" + before + "&waitSeconds=20")).andReturn();
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(poll).as("nothing changed yet: the agent waits").isNotDone();
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("update gpu set mode = 'MIG' where id = ?").param(gpu).update();
            generations.bump(host.id());
        });

        MvcResult answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(answer.getResponse().getStatus()).isEqualTo(200);
        assertThat(answer.getResponse().getContentAsString())
                .contains("\"generation\":" + (before + 1))
                .contains("{\"pciAddress\":\"0000:81:00.0\",\"mode\":\"MIG\"}");
    }

    @Test
    void aServerShuttingDownAnswersItsWaitingPollsAtOnceInsteadOfHoldingThemOpen() throws Exception {
        Host host = fixtures.host();
        long generation = fixtures.generation(host);
        SmartLifecycle watch = context.getBean("desiredStateWatch", SmartLifecycle.class);
        CompletableFuture<MvcResult> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return mvc.perform(host.get("/desired-state?after=" + generation + "&waitSeconds=60")).andReturn();
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(poll).as("nothing changed: the agent waits").isNotDone();
        try {
            watch.stop();   // what the context does first when the server shuts down

            // without the stop the poll would be held for its whole minute (DesiredStateWatchTests: woken at once)
            MvcResult answer = poll.get(10, TimeUnit.SECONDS);
            assertThat(answer.getResponse().getStatus()).isEqualTo(200);
            assertThat(answer.getResponse().getContentAsString()).contains("\"generation\":" + generation);
        }
        finally {
            watch.start();
        }
    }

    @Test
    void badPollParametersAreProblemDetails() throws Exception {
        Host host = fixtures.host();
        mvc.perform(host.get("/desired-state?after=-1")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid request parameter"));
        mvc.perform(host.get("/desired-state?waitSeconds=3600")).andExpect(status().isBadRequest());
    }
}
