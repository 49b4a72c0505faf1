package io.vgpuhub.web.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The GPU page: mode beside reported mode, who holds which instance or slot, and setting a GPU's mode. */
@OperatorPageTest
@WithUserDetails("olivia")
class GpusPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    OperatorFixtures fixtures;
    String hostName;
    long host;

    @BeforeEach
    void aHost() {
        fixtures = new OperatorFixtures(jdbc);
        hostName = OperatorFixtures.unique("gpu-host");
        host = fixtures.host(hostName, "ONLINE", Duration.ofMinutes(30), "0.3.1");
    }

    @Test
    void aVgpuGpuShowsItsTypeInstancesUsedOfTheOfferingsMaxAndWhoHoldsThem() throws Exception {
        long gpu = fixtures.gpu(host, "A40", "VGPU", false, 8);
        fixtures.slice(gpu, "A40-8Q", "render-a", null);
        fixtures.slice(gpu, "A40-8Q", "render-b", null);

        mvc.perform(get("/operator/gpus").param("host", String.valueOf(host))).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("GPUs of " + hostName),
                        containsString("A40-8Q: 2 of 6 instances used"),
                        containsString("Acme Research · render-a"), containsString("Acme Research · render-b"),
                        containsString("data-columns=\"6\""),
                        containsString("The mode can change only while the GPU is empty. Live slices on it: 2."))));
    }

    @Test
    void theDriversReportedMaxInstancesWinsOverTheCatalogs() throws Exception {
        long gpu = fixtures.gpu(host, "A40", "VGPU", false, 8);
        jdbc.sql("insert into gpu_vgpu_type (gpu_id, vgpu_type, framebuffer_mib, max_instances) values (?, 'A40-8Q', 8192, 4)")
                .param(gpu).update();
        fixtures.slice(gpu, "A40-8Q", "render-c", null);

        mvc.perform(get("/operator/gpus").param("host", String.valueOf(host)))
                .andExpect(content().string(containsString("A40-8Q: 1 of 4 instances used")));
    }

    @Test
    void aMigGpuDrawsItsEightSlotsWithEachInstanceOverItsSlots() throws Exception {
        long gpu = fixtures.gpu(host, "A100-40GB", "MIG", true, 0);
        fixtures.slice(gpu, "A100-40GB 3g.20gb", "train-1", 0);
        fixtures.slice(gpu, "A100-40GB 1g.5gb", "notebook-1", 5);

        mvc.perform(get("/operator/gpus").param("host", String.valueOf(host))).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("5 of 8 memory slots used"),
                        containsString("data-columns=\"8\""),
                        // slots 0-3 held by the 3g, 4 free, 5 by the 1g, 6 and 7 free
                        matchesPattern("(?s).*data-span=\"4\".*?slots 0–3.*?3g\\.20gb.*?Acme Research · train-1"
                                + ".*?slot 4.*?free.*?slot 5.*?1g\\.5gb.*?Acme Research · notebook-1.*?slot 6.*?slot 7.*"))));
    }

    @Test
    void anA30HasFourMemorySlots() throws Exception {
        long gpu = fixtures.gpu(host, "A30", "MIG", true, 0);
        fixtures.slice(gpu, "A30 2g.12gb", "infer-1", 2);

        mvc.perform(get("/operator/gpus").param("host", String.valueOf(host)))
                .andExpect(content().string(allOf(containsString("2 of 4 memory slots used"),
                        matchesPattern("(?s).*data-columns=\"4\".*?slot 0.*?slot 1.*?slots 2–3.*?infer-1.*"))));
    }

    @Test
    void aPassthroughGpuShowsItsTenantOrThatItIsFree() throws Exception {
        long used = fixtures.gpu(host, "H100-80GB", "PASSTHROUGH", true, 0);
        fixtures.slice(used, "H100-80GB whole GPU", "big-train", null);
        fixtures.gpu(host, "H100-80GB", "PASSTHROUGH", true, 0);

        mvc.perform(get("/operator/gpus").param("host", String.valueOf(host)))
                .andExpect(content().string(allOf(containsString("The whole GPU is in use."),
                        containsString("Acme Research · big-train"),
                        containsString("Free: the whole GPU can be given to one VM."))));
    }

    @Test
    void aModeTheAgentHasNotReachedYetIsShownAsSwitching() throws Exception {
        long gpu = fixtures.gpu(host, "A100-80GB", "MIG", true, 0);
        jdbc.sql("update gpu set reported_mode = 'PASSTHROUGH' where id = ?").param(gpu).update();

        mvc.perform(get("/operator/gpus").param("host", String.valueOf(host)))
                .andExpect(content().string(containsString("switching: the agent still reports PASSTHROUGH")));
    }

    @Test
    void settingTheModeOfAnEmptyGpuChangesItAuditsItAndWakesTheAgent() throws Exception {
        long gpu = fixtures.gpu(host, "A100-40GB", "PASSTHROUGH", true, 0);
        long generation = fixtures.generation(host);
        String label = hostName + " " + fixtures.pci(gpu);

        mvc.perform(post("/operator/gpus/{id}/mode", gpu).with(csrf()).param("mode", "MIG").param("host", String.valueOf(host)))
                .andExpect(redirectedUrl("/operator/gpus?host=" + host))
                .andExpect(flash().attribute("notice", "GPU " + label
                        + " set from PASSTHROUGH to MIG. Its agent switches the hardware with its next desired state."));

        assertThat(fixtures.gpuMode(gpu)).isEqualTo("MIG");
        assertThat(fixtures.audits("gpu.mode", label)).isEqualTo(1);
        assertThat(fixtures.generation(host)).isEqualTo(generation + 1);
        mvc.perform(get("/operator/gpus").param("host", String.valueOf(host)))
                .andExpect(content().string(containsString("switching: the agent still reports PASSTHROUGH")));
    }

    @Test
    void aBusyGpuKeepsItsModeAndTheOperatorIsToldWhy() throws Exception {
        long gpu = fixtures.gpu(host, "A40", "VGPU", false, 4);
        fixtures.slice(gpu, "A40-8Q", "busy-1", null);
        long generation = fixtures.generation(host);
        String label = hostName + " " + fixtures.pci(gpu);

        mvc.perform(post("/operator/gpus/{id}/mode", gpu).with(csrf()).param("mode", "PASSTHROUGH"))
                .andExpect(redirectedUrl("/operator/gpus"))
                .andExpect(flash().attribute("refusal", "GPU " + label
                        + " holds live slices (1); its mode can change only while it is empty. Nothing was changed."));

        assertThat(fixtures.gpuMode(gpu)).isEqualTo("VGPU");
        assertThat(fixtures.audits("gpu.mode", label)).isZero();
        assertThat(fixtures.generation(host)).isEqualTo(generation);
    }

    @Test
    void migIsRefusedOnAGpuThatIsNotMigCapable() throws Exception {
        long gpu = fixtures.gpu(host, "T4", "VGPU", false, 0);
        String label = hostName + " " + fixtures.pci(gpu);

        mvc.perform(get("/operator/gpus").param("host", String.valueOf(host)))
                .andExpect(content().string(allOf(containsString("MIG is not offered: this GPU is not MIG-capable."),
                        not(containsString("<option value=\"MIG\"")))));
        mvc.perform(post("/operator/gpus/{id}/mode", gpu).with(csrf()).param("mode", "MIG"))
                .andExpect(flash().attribute("refusal", "GPU " + label + " (T4) is not MIG-capable; its mode stays as it is."));

        assertThat(fixtures.gpuMode(gpu)).isEqualTo("VGPU");
        assertThat(fixtures.audits("gpu.mode", label)).isZero();
    }

    @Test
    void vgpuNeedsReportedTypesOrACatalogProfileForTheModel() throws Exception {
        long h100 = fixtures.gpu(host, "H100-80GB", "PASSTHROUGH", true, 0);
        mvc.perform(post("/operator/gpus/{id}/mode", h100).with(csrf()).param("mode", "VGPU"))
                .andExpect(flash().attribute("refusal", containsString("offers no vGPU types")));
        assertThat(fixtures.gpuMode(h100)).isEqualTo("PASSTHROUGH");

        jdbc.sql("insert into gpu_vgpu_type (gpu_id, vgpu_type, framebuffer_mib, max_instances) values (?, 'H100-8C', 8192, 10)")
                .param(h100).update();
        mvc.perform(post("/operator/gpus/{id}/mode", h100).with(csrf()).param("mode", "VGPU"))
                .andExpect(flash().attribute("notice", containsString("set from PASSTHROUGH to VGPU")));
        assertThat(fixtures.gpuMode(h100)).isEqualTo("VGPU");
    }

    @Test
    void unknownModesAndGpusAndMalformedInputAreExplainedAndChangeNothing() throws Exception {
        long gpu = fixtures.gpu(host, "A40", "VGPU", false, 0);
        long audits = fixtures.allAudits();

        mvc.perform(post("/operator/gpus/{id}/mode", gpu).with(csrf()).param("mode", "TURBO"))
                .andExpect(flash().attribute("refusal",
                        "“TURBO” is not a GPU mode. Choose VGPU, MIG or PASSTHROUGH. Nothing was changed."));
        mvc.perform(post("/operator/gpus/{id}/mode", gpu).with(csrf()))
                .andExpect(flash().attribute("refusal", "Choose a mode: VGPU, MIG or PASSTHROUGH. Nothing was changed."));
        mvc.perform(post("/operator/gpus/{id}/mode", 876543).with(csrf()).param("mode", "MIG"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no GPU with id 876543.")));
        mvc.perform(post("/operator/gpus/{id}/mode", "0000:41:00.0").with(csrf()).param("mode", "MIG"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/operator/gpus").param("host", "876543"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no host with id 876543.")));
        mvc.perform(get("/operator/gpus").param("host", "first"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("“first” is not a valid value for host.")));

        assertThat(fixtures.gpuMode(gpu)).isEqualTo("VGPU");
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }

    @Test
    void withoutAHostEveryHostsGpusAreListed() throws Exception {
        long other = fixtures.host(OperatorFixtures.unique("other"), "OFFLINE", null, null);
        fixtures.gpu(host, "A10", "VGPU", false, 0);
        fixtures.gpu(other, "L40S", "PASSTHROUGH", false, 0);

        mvc.perform(get("/operator/gpus")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("on " + hostName), containsString(">A10<"),
                        containsString(">L40S<"))));
        mvc.perform(get("/operator/gpus").param("host", String.valueOf(other)))
                .andExpect(content().string(not(containsString("on " + hostName))));
    }
}
