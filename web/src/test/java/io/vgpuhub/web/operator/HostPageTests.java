package io.vgpuhub.web.operator;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Locale;

import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** A host's page with the readiness checks its agent last reported, and the readiness badge on the hosts list. */
@OperatorPageTest
@WithUserDetails("olivia")
class HostPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    OperatorFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new OperatorFixtures(jdbc);
    }

    @Test
    void theHostPageListsTheHostWideChecksThenEachGpusFailuresFirstEachWithItsFix() throws Exception {
        long host = fixtures.host(OperatorFixtures.unique("checked"), "ONLINE", Duration.ofSeconds(5), "0.4.0");
        String a40 = fixtures.pci(fixtures.gpu(host, "A40", "VGPU", false, 0));
        readiness(host, """
                [{"scope": "host", "check": "iommu-cmdline", "status": "OK", "summary": "IOMMU is on (intel_iommu=on)"},
                 {"scope": "host", "check": "vfio-modules", "status": "FAIL", "summary": "vfio_pci is not loaded",
                  "fix": "modprobe vfio_pci && echo vfio_pci > /etc/modules-load.d/vfio.conf"},
                 {"scope": "%1$s", "check": "driver-flavour", "status": "OK", "summary": "vGPU host driver 550.90"},
                 {"scope": "%1$s", "check": "mig", "status": "WARN", "summary": "MIG mode change pending",
                  "fix": "reboot the host or reset the GPU: nvidia-smi -r -i %1$s"},
                 {"scope": "%1$s", "check": "sriov", "status": "FAIL", "summary": "no VF is enabled <script>x</script>",
                  "fix": "/usr/lib/nvidia/sriov-manage -e %1$s"},
                 {"scope": "%1$s", "check": "brand-new-check", "status": "OK", "summary": "fine"},
                 {"scope": "0000:fe:00.0", "check": "gpu-driver", "status": "WARN", "summary": "bound to nouveau",
                  "fix": "echo 0000:fe:00.0 > /sys/bus/pci/drivers/nouveau/unbind"}]
                """.formatted(a40));

        mvc.perform(get("/operator/hosts/{id}", host)).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("Not ready: 2 checks fail"),
                        containsString("Checked by the agent at 2026-11-24 12:00:00 UTC"),
                        matchesPattern("(?s).*data-scope=\"host\".*?"
                                + "data-check=\"vfio-modules\".*?vfio modules.*?Fails.*?vfio_pci is not loaded.*?"
                                + "<code>modprobe vfio_pci &amp;&amp; echo vfio_pci &gt; /etc/modules-load.d/vfio.conf</code>.*?"
                                + "data-check=\"iommu-cmdline\".*?IOMMU in the kernel command line.*?OK.*?"
                                + "data-scope=\"" + a40 + "\".*?GPU " + a40 + " \\(A40\\).*?"
                                + "data-check=\"sriov\".*?no VF is enabled &lt;script&gt;x&lt;/script&gt;.*?"
                                + "<code>/usr/lib/nvidia/sriov-manage -e " + a40 + "</code>.*?"
                                + "data-check=\"mig\".*?Warning.*?"
                                + "data-check=\"driver-flavour\".*?"
                                + "data-check=\"brand-new-check\" class=\"check-OK\">\\s*<td>brand-new-check</td>.*?"
                                + "GPU 0000:fe:00\\.0 \\(not in this host’s inventory\\).*?bound to nouveau.*"),
                        not(containsString("<script>x</script>")))));
    }

    @Test
    void aHostWithoutReadinessSaysSoAndWhy() throws Exception {
        long host = fixtures.host(OperatorFixtures.unique("unchecked"), "ONLINE", Duration.ofSeconds(5), "0.3.0");

        mvc.perform(get("/operator/hosts/{id}", host)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Not reported"),
                        containsString("has not reported readiness checks"), not(containsString("data-check=")))));
    }

    @Test
    void theHostsListShowsEachHostsReadinessBadgeLinkingToItsPage() throws Exception {
        long ready = fixtures.host(OperatorFixtures.unique("ready"), "ONLINE", Duration.ofSeconds(5), null);
        readiness(ready, "[" + check("OK") + ", " + check("OK") + "]");
        long warned = fixtures.host(OperatorFixtures.unique("warned"), "ONLINE", Duration.ofSeconds(5), null);
        readiness(warned, "[" + check("WARN") + ", " + check("OK") + ", " + check("WARN") + "]");
        long broken = fixtures.host(OperatorFixtures.unique("broken"), "ONLINE", Duration.ofSeconds(5), null);
        readiness(broken, "[" + check("FAIL") + ", " + check("WARN") + ", " + check("FAIL") + ", " + check("FAIL") + "]");
        long silent = fixtures.host(OperatorFixtures.unique("silent"), "ONLINE", Duration.ofSeconds(5), null);

        mvc.perform(get("/operator/hosts")).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        badge(ready, "READY", "Ready"), badge(warned, "WARN", "2 warnings"),
                        badge(broken, "FAIL", "3 problems"), badge(silent, "NOT_REPORTED", "Not reported"))));
    }

    @Test
    void theHostPagesVerdictIsTheHostsListsBadgeInWords() throws Exception {
        long warned = fixtures.host(OperatorFixtures.unique("warned-page"), "ONLINE", Duration.ofSeconds(5), null);
        readiness(warned, "[" + check("WARN") + ", " + check("OK") + ", " + check("WARN") + "]");
        long ready = fixtures.host(OperatorFixtures.unique("ready-page"), "ONLINE", Duration.ofSeconds(5), null);
        readiness(ready, "[" + check("OK") + "]");
        long empty = fixtures.host(OperatorFixtures.unique("empty-page"), "ONLINE", Duration.ofSeconds(5), null);
        readiness(empty, "[]");

        mvc.perform(get("/operator/hosts/{id}", warned)).andExpect(status().isOk())
                .andExpect(content().string(matchesPattern(
                        "(?s).*<span class=\"readiness readiness-WARN\">Ready, with 2 warnings</span>.*")));
        mvc.perform(get("/operator/hosts/{id}", ready)).andExpect(status().isOk())
                .andExpect(content().string(matchesPattern(
                        "(?s).*<span class=\"readiness readiness-READY\">Ready: every check passed</span>.*")));
        mvc.perform(get("/operator/hosts/{id}", empty)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Ready: every check passed"),
                        containsString("The agent reported no host-wide checks."), not(containsString("data-check=")))));
    }

    @Test
    void checksAreLabelledInChineseAndTheAgentsWordsAreShownAsSent() throws Exception {
        long host = fixtures.host(OperatorFixtures.unique("zh"), "ONLINE", Duration.ofSeconds(5), null);
        readiness(host, """
                [{"scope": "host", "check": "vgpu-manager", "status": "FAIL", "summary": "nvidia-vgpu-mgr is not running",
                  "fix": "systemctl enable --now nvidia-vgpu-mgr"}]""");

        mvc.perform(get("/operator/hosts/{id}", host).locale(Locale.SIMPLIFIED_CHINESE)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("vGPU 管理器（nvidia-vgpu-mgr）"),
                        containsString("未就绪：1 项检查失败"), containsString("nvidia-vgpu-mgr is not running"),
                        containsString("systemctl enable --now nvidia-vgpu-mgr"))));
        mvc.perform(get("/operator/hosts").locale(Locale.SIMPLIFIED_CHINESE))
                .andExpect(content().string(containsString(">1 个问题</a>")));
    }

    @Test
    void anUnknownHostIsNotFoundAndAMalformedIdIsABadRequest() throws Exception {
        mvc.perform(get("/operator/hosts/{id}", 987654)).andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no host with id 987654.")));
        mvc.perform(get("/operator/hosts/{id}", "gpu-node-7")).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("“gpu-node-7” is not a valid value for hostId.")));
    }

    private void readiness(long host, String checks) {
        jdbc.sql("update host set readiness = cast(? as jsonb), readiness_checked_at = '2026-11-24T12:00:00Z' where id = ?")
                .params(checks, host).update();
    }

    private static String check(String status) {
        return """
                {"scope": "host", "check": "nvidia-driver", "status": "%s", "summary": "driver 550.90"%s}"""
                .formatted(status, "OK".equals(status) ? "" : ", \"fix\": \"install the vGPU host driver\"");
    }

    private static Matcher<String> badge(long host, String kind, String text) {
        return matchesPattern("(?s).*<a class=\"readiness readiness-" + kind + "\" href=\"/operator/hosts/" + host + "\">"
                + text + "</a>.*");
    }
}
