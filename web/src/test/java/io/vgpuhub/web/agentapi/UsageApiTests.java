package io.vgpuhub.web.agentapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.stringContainsInOrder;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.vgpuhub.web.agentapi.AgentApiFixtures.Host;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** POST /api/agent/v1/usage: a batch is stored once, whole or not at all, and a refusal says why. */
@AgentApiTest
class UsageApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentApiFixtures fixtures;

    Host host;
    UUID slice;
    Instant now;

    @BeforeEach
    void aReadySliceOnAHost() {
        host = fixtures.host();
        long gpu = fixtures.gpu(host, "0000:41:00.0", "A40", "VGPU", 2);
        slice = fixtures.vgpuSlice(fixtures.tenant(), gpu, "A40-8Q", "READY");
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void aBatchIsStoredWithItsHostAndTheSameBatchSentAgainIsAnsweredAsAlreadyStored() throws Exception {
        UUID batch = UUID.randomUUID();
        String body = batch(batch, sample(slice, now.minusSeconds(20), 40, 2048, "LICENSED"), sample(slice, now, 60, 3000, null));

        post(body).andExpect(status().isOk())
                .andExpect(jsonPath("$.batchId").value(batch.toString()))
                .andExpect(jsonPath("$.samples").value(2))
                .andExpect(jsonPath("$.stored").value(2))
                .andExpect(jsonPath("$.alreadyStored").value(false));
        post(body).andExpect(status().isOk())
                .andExpect(jsonPath("$.stored").value(0))
                .andExpect(jsonPath("$.alreadyStored").value(true));

        assertThat(samples(slice)).isEqualTo(2);
        assertThat(jdbc.sql("select host_id from usage_batch where batch_id = ?").param(batch).query(Long.class).single())
                .isEqualTo(host.id());
        assertThat(jdbc.sql("""
                select sum(h.sample_count) from usage_hourly h join slice s on s.id = h.slice_id where s.uuid = ?
                """).param(slice).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void aBatchSentTenTimesAtOnceCountsOnce() throws Exception {
        String body = batch(UUID.randomUUID(), IntStream.range(0, 100)
                .mapToObj(i -> sample(slice, now.minusSeconds(i), i, i * 100, "LICENSED")).toArray(String[]::new));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<String> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return post(body).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
                }));
            }
            start.countDown();
            for (Future<String> f : futures) {
                answers.add(f.get());
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(answers).filteredOn(a -> a.contains("\"alreadyStored\":false")).singleElement().asString()
                .contains("\"stored\":100");
        assertThat(answers).filteredOn(a -> a.contains("\"alreadyStored\":true")).hasSize(9);
        assertThat(samples(slice)).isEqualTo(100);
    }

    @Test
    void aSampleOfAnotherHostsSliceOrOfNoSliceRefusesTheWholeBatchNamingTheSlice() throws Exception {
        Host other = fixtures.host();
        long otherGpu = fixtures.gpu(other, "0000:81:00.0", "A40", "VGPU", 1);
        UUID othersSlice = fixtures.vgpuSlice(fixtures.tenant(), otherGpu, "A40-8Q", "READY");
        UUID noSlice = UUID.randomUUID();
        UUID batch = UUID.randomUUID();

        post(batch(batch, sample(slice, now, 10, 10, null), sample(othersSlice, now, 10, 10, null), sample(noSlice, now, 1, 1, null)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.title").value("Unknown slice"))
                .andExpect(jsonPath("$.detail").value("No slices " + othersSlice + ", " + noSlice
                        + " on this host; nothing of the batch was stored"));

        assertThat(samples(slice)).isZero();
        assertThat(samples(othersSlice)).isZero();
        assertThat(jdbc.sql("select count(*) from usage_batch where batch_id = ?").param(batch).query(Long.class).single()).isZero();
        post(batch(batch, sample(slice, now, 10, 10, null))).andExpect(status().isOk())
                .andExpect(jsonPath("$.alreadyStored").value(false));
    }

    @Test
    void badValuesRefuseTheWholeBatchWithTheirReasonAndStoreNothing() throws Exception {
        String good = sample(slice, now.minusSeconds(60), 10, 10, "LICENSED");
        refused(batch(UUID.randomUUID(), good, sample(slice, now.plus(10, ChronoUnit.MINUTES), 10, 10, null)),
                "samples[1]", "more than 5 minutes in the future");
        refused(batch(UUID.randomUUID(), good, sample(slice, now, 10, -1, null)),
                "samples[1]", "memoryUsedMib must not be negative, was -1");
        refused(batch(UUID.randomUUID(), good, sample(slice, now, 101, 1, null)),
                "samples[1]", "gpuUtilizationPercent must be between 0 and 100, was 101");
        refused(batch(UUID.randomUUID(), good, sample(slice, now, -5, 1, null)),
                "samples[1]", "gpuUtilizationPercent must be between 0 and 100, was -5");
        refused(batch(UUID.randomUUID(), good, sample(slice, now, 10, 1, "SORT_OF_LICENSED")),
                "samples[1]", "licenseState must be one of", "was 'SORT_OF_LICENSED'");
        refused(batch(UUID.randomUUID(), good, sample(slice, now.minus(2, ChronoUnit.DAYS), 10, 1, null)),
                "samples[1]", "dated before its slice existed");
        refused(batch(UUID.randomUUID(), good, sample(slice, now.minusSeconds(60), 11, 10, "LICENSED")),
                "samples[1]", "contradicts samples[0]");

        post("""
                {"batchId": "%s", "samples": [%s, {"sliceId": "%s", "gpuUtilizationPercent": 1, "memoryUsedMib": 1}]}
                """.formatted(UUID.randomUUID(), good, slice))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("samples[1].sampledAt must not be null; nothing was stored"));
        post("{\"samples\": [" + good + "]}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("batchId must not be null")));

        assertThat(samples(slice)).isZero();
        assertThat(jdbc.sql("select count(*) from usage_batch where host_id = ?").param(host.id()).query(Long.class).single())
                .isZero();
    }

    @Test
    void anotherHostsTokenCannotReplayABatchIntoItsOwnSlices() throws Exception {
        UUID batch = UUID.randomUUID();
        post(batch(batch, sample(slice, now, 10, 10, null))).andExpect(status().isOk());

        Host other = fixtures.host();
        mvc.perform(other.post("/usage", batch(batch, sample(slice, now.minusSeconds(1), 10, 10, null))))
                .andExpect(status().isUnprocessableContent());
        assertThat(samples(slice)).isOne();
    }

    private void refused(String body, String... reasons) throws Exception {
        post(body).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.title").value("Usage batch refused"))
                .andExpect(jsonPath("$.detail").value(containsString("; nothing of the batch was stored")))
                .andExpect(jsonPath("$.detail").value(stringContainsInOrder(reasons)));
    }

    private ResultActions post(String body) throws Exception {
        return mvc.perform(host.post("/usage", body));
    }

    private long samples(UUID slice) {
        return jdbc.sql("select count(*) from usage_sample u join slice s on s.id = u.slice_id where s.uuid = ?")
                .param(slice).query(Long.class).single();
    }

    private static String batch(UUID batchId, String... samples) {
        return "{\"batchId\": \"%s\", \"samples\": [%s]}".formatted(batchId, String.join(", ", samples));
    }

    private static String sample(UUID slice, Instant at, int utilization, int memory, String licenseState) {
        return """
                {"sliceId": "%s", "sampledAt": "%s", "gpuUtilizationPercent": %d, "memoryUsedMib": %d, "licenseState": %s}"""
                .formatted(slice, at, utilization, memory, licenseState == null ? "null" : "\"" + licenseState + "\"");
    }
}
