package io.vgpuhub.web.portal;

import jakarta.servlet.http.Cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;

import io.vgpuhub.web.portal.PortalFixtures.Gpu;
import io.vgpuhub.web.portal.PortalFixtures.Tenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * "My slices": each tenant sees only its own, with what to attach for each kind, usage and cost so far, a list
 * that polls itself only while something is on its way, and release behind a confirmation.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SlicesPageTests {

    private static final String MIG_UUID = "MIG-1b2c3d4e-0000-4000-8000-00000000abcd";

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    UserDetailsService users;

    PortalFixtures fixtures;
    Tenant tenant;
    Gpu a40;
    Gpu a100;
    Gpu wholeA40;

    @BeforeEach
    void aTenantWithGpusOnAnOfflineHost() {
        fixtures = new PortalFixtures(jdbc, passwords, users);
        tenant = fixtures.tenant();
        long host = fixtures.host(false);
        a40 = fixtures.gpu(host, "A40", "VGPU", 2);
        a100 = fixtures.gpu(host, "A100-40GB", "MIG", 0);
        wholeA40 = fixtures.gpu(host, "A40", "PASSTHROUGH", 0);
    }

    @Test
    void aReadyVgpuShowsItsMdevUuidAndTheLibvirtElementWithUsageAndCostSoFar() throws Exception {
        long vf = fixtures.vfs(a40.id()).get(0);
        UUID slice = fixtures.slice(tenant, "A40-8Q", "render-01", "READY", a40.id(), vf, null, null, null, null);
        long sliceId = jdbc.sql("select id from slice where uuid = ?").param(slice).query(Long.class).single();
        jdbc.sql("""
                insert into usage_sample (slice_id, batch_id, sampled_at, gpu_utilization_percent, memory_used_mib, license_state)
                values (?, ?, now() - interval '1 minute', 37, 2048, 'LICENSED')
                """).params(sliceId, UUID.randomUUID()).update();

        String row = row(page(get("/slices")), slice);
        assertThat(row).contains("render-01", "A40-8Q", "state-READY", "Ready",
                "<code class=\"mdev-uuid\">" + slice + "</code>",
                "&lt;hostdev mode=&#39;subsystem&#39; type=&#39;mdev&#39; model=&#39;vfio-pci&#39;&gt;",
                "&lt;address uuid=&#39;" + slice + "&#39;/&gt;", "data-copy=\"#xml-" + slice + "\"",
                "37% GPU · 2,048 MiB", "guest license: LICENSED");
        // READY two hours ago at 0.257 USD per hour.
        assertThat(row).contains("2.00 h allocated · 0.51 USD so far (estimate at list price)");
    }

    @Test
    void aReadyMigInstanceShowsItsDeviceUuidPlacementAndHowCudaUsesIt() throws Exception {
        UUID slice = fixtures.slice(tenant, "A100-40GB 1g.10gb", "trainer", "READY", a100.id(), null, 2, 2, MIG_UUID, null);
        String row = row(page(get("/slices")), slice);
        assertThat(row).contains("<code class=\"mig-uuid\">" + MIG_UUID + "</code>",
                "GPU " + a100.pciAddress() + ", memory slices 2–3 (profile 1g.10gb)",
                "CUDA_VISIBLE_DEVICES=" + MIG_UUID, "used on its GPU host by containers and CUDA programs")
                .doesNotContain("hostdev", "mdev-uuid");
    }

    @Test
    void aMigInstanceWhoseUuidIsNotReportedYetSaysSo() throws Exception {
        UUID slice = fixtures.slice(tenant, "A100-40GB 1g.5gb", "trainer-2", "READY", a100.id(), null, 6, 1, null, null);
        assertThat(row(page(get("/slices")), slice)).contains("not reported by the host yet")
                .doesNotContain("CUDA_VISIBLE_DEVICES=");
    }

    @Test
    void aReadyWholeGpuShowsItsPciAddressAndAnUnmanagedPciHostdev() throws Exception {
        UUID slice = fixtures.slice(tenant, "A40 whole GPU", "big-vm", "READY", wholeA40.id(), null, null, null, null, null);
        String bus = wholeA40.pciAddress().substring(5, 7);
        String row = row(page(get("/slices")), slice);
        assertThat(row).contains("<code class=\"pci-address\">" + wholeA40.pciAddress() + "</code>",
                "&lt;hostdev mode=&#39;subsystem&#39; type=&#39;pci&#39; managed=&#39;no&#39;&gt;",
                "&lt;address domain=&#39;0x0000&#39; bus=&#39;0x" + bus + "&#39; slot=&#39;0x00&#39; function=&#39;0x0&#39;/&gt;")
                .doesNotContain("mdev");
    }

    @Test
    void aFailedSliceShowsTheAgentsReasonAndCanBeReleased() throws Exception {
        UUID slice = fixtures.slice(tenant, "A40-8Q", "broken", "FAILED", null, null, null, null, null,
                "echo: write error: No space left on device");
        String row = row(page(get("/slices")), slice);
        assertThat(row).contains("state-FAILED", "Reason: echo: write error: No space left on device",
                "Release it to free its GPU and your quota", "href=\"/slices/" + slice + "/release\"");
    }

    @Test
    void theListPollsItselfWhileASliceIsOnItsWayAndStopsWhenAllHaveSettled() throws Exception {
        long vf = fixtures.vfs(a40.id()).get(1);
        UUID slice = fixtures.slice(tenant, "A40-8Q", "soon", "PROVISIONING", a40.id(), vf, null, null, null, null);
        String page = page(get("/slices"));
        assertThat(page).contains("hx-get=\"/slices/live\"", "hx-trigger=\"every 2s\"", "The host is creating the device.")
                .contains("src=\"/webjars/htmx.org/dist/htmx.min.js\"").doesNotContain("http-equiv=\"refresh\"");

        jdbc.sql("update slice set state = 'READY', ready_at = now() where uuid = ?").param(slice).update();
        String fragment = page(get("/slices/live"));
        assertThat(fragment).startsWith("<div id=\"slice-list\"").contains("state-READY")
                .doesNotContain("hx-trigger", "hx-get", "<html");
    }

    @Test
    void slicesOnASilentHostAreFlaggedWhateverItsStateAndAlsoWhileReleasing() throws Exception {
        // The operator drained the host, then its agent died: the OFFLINE check leaves a DRAINING host DRAINING.
        long host = fixtures.host(true);
        jdbc.sql("update host set state = 'DRAINING', last_seen_at = now() - interval '10 minutes' where id = ?")
                .param(host).update();
        String hostName = jdbc.sql("select name from host where id = ?").param(host).query(String.class).single();
        Gpu gpu = fixtures.gpu(host, "A40", "VGPU", 3);
        List<Long> vfs = fixtures.vfs(gpu.id());
        UUID ready = fixtures.slice(tenant, "A40-8Q", "drained-vm", "READY", gpu.id(), vfs.get(0), null, null, null, null);
        UUID releasing = fixtures.slice(tenant, "A40-8Q", "leaving-vm", "RELEASING", gpu.id(), vfs.get(1), null, null, null, null);
        UUID released = fixtures.slice(tenant, "A40-8Q", "gone-vm", "RELEASED", gpu.id(), vfs.get(2), null, null, null, null);
        UUID failed = fixtures.slice(tenant, "A40-8Q", "never-placed", "FAILED", null, null, null, null, null, "x");

        String page = page(get("/slices"));
        assertThat(row(page, ready)).contains("host-offline", "Host not reporting", "Its host " + hostName + " has stopped");
        assertThat(row(page, releasing)).as("a release waits for the silent host").contains("host-offline");
        assertThat(row(page, released)).doesNotContain("host-offline");
        assertThat(row(page, failed)).as("a slice without a host").doesNotContain("host-offline");

        jdbc.sql("update host set last_seen_at = now() where id = ?").param(host).update();
        String reporting = page(get("/slices/live"));
        assertThat(row(reporting, ready)).as("still DRAINING, but reporting").doesNotContain("host-offline");
        assertThat(row(reporting, releasing)).doesNotContain("host-offline");
    }

    @Test
    void theHtmxScriptIsServedFromTheWebJar() throws Exception {
        String script = page(get("/webjars/htmx.org/dist/htmx.min.js"));
        assertThat(script).contains("htmx");
    }

    @Test
    void releasedSlicesMoveToTheHistoryWithTheirCost() throws Exception {
        UUID slice = fixtures.slice(tenant, "A40-8Q", "old-vm", "RELEASED", a40.id(), fixtures.vfs(a40.id()).get(0),
                null, null, null, null);
        String page = page(get("/slices"));
        assertThat(page).contains("Released slices (1)", "You have no live slices");
        // READY two hours ago, released 30 minutes ago: 1.5 h at 0.257 USD.
        assertThat(row(page, slice)).contains("old-vm", "1.50 h allocated · 0.39 USD so far");
    }

    @Test
    void aTenantSeesOnlyItsOwnSlices() throws Exception {
        Tenant other = fixtures.tenant();
        UUID theirs = fixtures.slice(other, "A40-8Q", "not-yours-vm", "FAILED", null, null, null, null, null, "x");
        UUID mine = fixtures.slice(tenant, "A40-8Q", "mine-vm", "FAILED", null, null, null, null, null, "y");
        String page = page(get("/slices"));
        assertThat(page).contains("mine-vm", mine.toString()).doesNotContain("not-yours-vm", theirs.toString());
        assertThat(page(get("/slices/live"))).doesNotContain("not-yours-vm");
    }

    @Test
    @WithUserDetails("alice")
    void aliceDoesNotSeeAnotherTenantsSlices() throws Exception {
        UUID theirs = fixtures.slice(tenant, "A40-8Q", "other-tenant-vm", "FAILED", null, null, null, null, null, "x");
        String page = mvc.perform(get("/slices")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("My slices").doesNotContain("other-tenant-vm", theirs.toString());
        mvc.perform(get("/slices/{id}/release", theirs)).andExpect(status().isNotFound());
        mvc.perform(post("/slices/{id}/release", theirs).with(csrf())).andExpect(status().isNotFound());
        assertThat(fixtures.stateOf(theirs)).isEqualTo("FAILED");
    }

    @Test
    void releaseAsksFirstAndOnlyThePostReleases() throws Exception {
        UUID slice = fixtures.slice(tenant, "A40-8Q", "to-release", "READY", a40.id(), fixtures.vfs(a40.id()).get(0),
                null, null, null, null);
        String confirm = page(get("/slices/{id}/release", slice));
        assertThat(confirm).contains("Release a slice", "to-release", "Shut the VM down or detach the vGPU first",
                "action=\"/slices/" + slice + "/release\"", "method=\"post\"", "Keep it");
        assertThat(fixtures.stateOf(slice)).isEqualTo("READY");

        mvc.perform(as(post("/slices/{id}/release", slice).with(csrf()))).andExpect(redirectedUrl("/slices"))
                .andExpect(flash().attribute("releasedVm", "to-release"))
                .andExpect(flash().attribute("releasedNow", false));
        assertThat(fixtures.stateOf(slice)).isEqualTo("RELEASING");
        assertThat(page(get("/slices/{id}/release", slice))).contains("already released or on its way out")
                .doesNotContain("method=\"post\" class=\"row\"");
    }

    @Test
    void aFailedSliceIsReleasedAtOnceAndTheNextPageSaysSo() throws Exception {
        UUID slice = fixtures.slice(tenant, "A40-8Q", "gone", "FAILED", null, null, null, null, null, "x");
        // The flash attribute travels in the session, which Spring Session keeps in PostgreSQL behind the SESSION cookie.
        Cookie session = mvc.perform(as(post("/slices/{id}/release", slice).with(csrf())))
                .andExpect(flash().attribute("releasedNow", true)).andReturn().getResponse().getCookie("SESSION");
        assertThat(fixtures.stateOf(slice)).isEqualTo("RELEASED");
        assertThat(page(get("/slices").cookie(session))).contains("The slice of VM gone (" + slice + ") is released");
    }

    @Test
    void releaseWithoutACsrfTokenIsRefused() throws Exception {
        UUID slice = fixtures.slice(tenant, "A40-8Q", "kept", "FAILED", null, null, null, null, null, "x");
        mvc.perform(as(post("/slices/{id}/release", slice))).andExpect(status().isForbidden());
        assertThat(fixtures.stateOf(slice)).isEqualTo("FAILED");
    }

    @Test
    void aMalformedOrUnknownSliceIdIsNotFoundNotAServerError() throws Exception {
        mvc.perform(as(get("/slices/not-a-uuid/release"))).andExpect(status().isNotFound());
        mvc.perform(as(post("/slices/not-a-uuid/release").with(csrf()))).andExpect(status().isNotFound());
        mvc.perform(as(get("/slices/{id}/release", UUID.randomUUID()))).andExpect(status().isNotFound());
        mvc.perform(as(post("/slices/{id}/release", UUID.randomUUID()).with(csrf()))).andExpect(status().isNotFound());
    }

    @Test
    void theQuotaUseIsShown() throws Exception {
        fixtures.quota(tenant.id(), 4, 65536L);
        fixtures.slice(tenant, "A40-8Q", "counted", "FAILED", null, null, null, null, null, "x");
        assertThat(page(get("/slices"))).contains("Your tenant&#39;s quota", "1 of 4", "8 GB of 64 GB");
    }

    @Test
    void thePageSpeaksChinese() throws Exception {
        UUID slice = fixtures.slice(tenant, "A40 whole GPU", "big-vm", "READY", wholeA40.id(), null, null, null, null, null);
        String page = page(get("/slices").header("Accept-Language", "zh-CN"));
        assertThat(page).contains("<html lang=\"zh-CN\"", "我的切片", "就绪", "GPU PCI 地址", "复制", "申请切片");
        assertThat(page(get("/slices/{id}/release", slice).header("Accept-Language", "zh-CN")))
                .contains("释放切片", "请先关闭虚拟机或卸载该 GPU");
    }

    @Test
    @WithUserDetails("olivia")
    void anOperatorHasNoSlicesPages() throws Exception {
        mvc.perform(get("/slices")).andExpect(status().isForbidden());
        mvc.perform(get("/slices/live")).andExpect(status().isForbidden());
        mvc.perform(get("/slices/{id}/release", UUID.randomUUID())).andExpect(status().isForbidden());
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/slices/live")).andExpect(redirectedUrl("/login"));
    }

    private MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder request) {
        return request.with(user(fixtures.user(tenant.username())));
    }

    private String page(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(as(request)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    /** The HTML of one slice's row. */
    private static String row(String page, UUID slice) {
        int start = page.indexOf("data-slice=\"" + slice + "\"");
        assertThat(start).as("row of " + slice).isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }
}
