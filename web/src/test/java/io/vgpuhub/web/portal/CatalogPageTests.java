package io.vgpuhub.web.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

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

/** The catalog: what each tenant may order, explained, priced and with the capacity free right now. */
@SpringBootTest
@AutoConfigureMockMvc
class CatalogPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    UserDetailsService users;

    PortalFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new PortalFixtures(jdbc, passwords, users);
    }

    @Test
    @WithUserDetails("alice")
    void aTenantUserSeesOfferingsByGpuModelAndKindWithPriceLicenseAndARequestLink() throws Exception {
        String page = page("/catalog");
        long a40q = fixtures.offering("A40-8Q");
        assertThat(page).contains("Catalog", "Three ways to get a GPU",
                "Time-sliced vGPU", "MIG instance", "Whole GPU (passthrough)",
                "A virtual GPU for one VM", "hardware partition of an A100, H100 or A30", "entire physical GPU");
        assertThat(section(page, "gpu-A40")).contains("A40-8Q", "8 GB", "NVIDIA RTX Virtual Workstation", "0.257 USD",
                "A40-8A", "NVIDIA Virtual Applications", "A40-6C", "NVIDIA Virtual Compute Server", "A40 whole GPU");
        assertThat(section(page, "gpu-A10")).contains("A10-2B", "NVIDIA Virtual PC");
        assertThat(section(page, "gpu-A100-40GB")).contains("A100-40GB 1g.5gb", "GPU instance profile 1g.5gb",
                "4.8 GB", "none needed");
        assertThat(page).contains("href=\"/slices/new?offering=" + a40q + "\"");
        assertThat(page).contains("Price per hour (USD)");
    }

    @Test
    @WithUserDetails("alice")
    void theGroupsComeInTheOrderVgpuMigWholeGpu() throws Exception {
        String a100 = section(page("/catalog"), "gpu-A100-40GB");
        assertThat(a100).contains("data-kind=\"MIG\"", "data-kind=\"PASSTHROUGH\"").doesNotContain("data-kind=\"VGPU\"");
        assertThat(a100.indexOf("data-kind=\"MIG\"")).isLessThan(a100.indexOf("data-kind=\"PASSTHROUGH\""));
        String a40 = section(page("/catalog"), "gpu-A40");
        assertThat(a40.indexOf("data-kind=\"VGPU\"")).isLessThan(a40.indexOf("data-kind=\"PASSTHROUGH\""));
    }

    @Test
    void freeCapacityCountsOnlineHostsAndTheFilterShowsOnlyWhatFits() throws Exception {
        Tenant tenant = fixtures.tenant();
        fixtures.testOffering();
        String nowhere = fixtures.code(fixtures.restrictedOffering("PT0", tenant.id()));
        long host = fixtures.host(true);
        try {
            fixtures.gpu(host, PortalFixtures.TEST_MODEL, "VGPU", 3);
            String all = page("/catalog", tenant);
            assertThat(row(all, PortalFixtures.TEST_VGPU)).contains("<td class=\"num\">3</td>", "0.25 USD");
            assertThat(row(all, nowhere)).contains("none right now");

            String available = page("/catalog?available=true", tenant);
            assertThat(available).contains("data-offering=\"" + PortalFixtures.TEST_VGPU + "\"")
                    .doesNotContain("data-offering=\"" + nowhere + "\"").contains("Show all offerings");
        }
        finally {
            fixtures.takeOffline(host);
        }
    }

    @Test
    void anOfferingRestrictedToSomeTenantsIsShownOnlyToThem() throws Exception {
        Tenant chosen = fixtures.tenant();
        Tenant other = fixtures.tenant();
        String code = fixtures.code(fixtures.restrictedOffering(chosen.id()));
        assertThat(page("/catalog", chosen)).contains(code);
        assertThat(page("/catalog", other)).doesNotContain(code);
    }

    @Test
    void aDisabledOfferingIsNotShown() throws Exception {
        Tenant tenant = fixtures.tenant();
        long id = fixtures.restrictedOffering(tenant.id());
        String code = fixtures.code(id);
        assertThat(page("/catalog", tenant)).contains(code);
        jdbc.sql("update offering set enabled = false where id = ?").param(id).update();
        assertThat(page("/catalog", tenant)).doesNotContain(code);
    }

    @Test
    @WithUserDetails("tom")
    void aTenantAdminSeesTheCatalogToo() throws Exception {
        assertThat(page("/catalog")).contains("A40-8Q");
    }

    @Test
    @WithUserDetails("olivia")
    void anOperatorHasNoCatalog() throws Exception {
        mvc.perform(get("/catalog")).andExpect(status().isForbidden());
    }

    @Test
    @WithUserDetails("fiona")
    void financeHasNoCatalog() throws Exception {
        mvc.perform(get("/catalog")).andExpect(status().isForbidden());
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/catalog")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
    }

    @Test
    @WithUserDetails("alice")
    void theCatalogSpeaksSimplifiedChineseToABrowserThatAsksForIt() throws Exception {
        String page = mvc.perform(get("/catalog").header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("<html lang=\"zh-CN\"", "产品目录", "时间切片 vGPU", "MIG 实例", "整卡（直通）",
                "NVIDIA RTX 虚拟工作站（vWS）", "每小时价格（USD）", "申请");
        assertThat(page).doesNotContain("Three ways to get a GPU");
    }

    @Test
    @WithUserDetails("alice")
    void aBadFilterValueIsNotAServerError() throws Exception {
        mvc.perform(get("/catalog").param("available", "maybe")).andExpect(status().isBadRequest());
    }

    private String page(String path) throws Exception {
        return mvc.perform(get(path)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private String page(String path, Tenant tenant) throws Exception {
        return mvc.perform(get(path).with(user(fixtures.user(tenant.username())))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
    }

    /** The HTML of one GPU model's section. */
    private static String section(String page, String anchor) {
        int start = page.indexOf("id=\"" + anchor + "\"");
        assertThat(start).as("section " + anchor).isNotNegative();
        int end = page.indexOf("<section", start);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    /** The HTML of one offering's row. */
    private static String row(String page, String code) {
        int start = page.indexOf("data-offering=\"" + code + "\"");
        assertThat(start).as("row of " + code).isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }
}
