package io.vgpuhub.web.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The start page shows each role where its work is done, and nothing of the roles the person does not have. */
@SpringBootTest
@AutoConfigureMockMvc
class HomePageTests {

    @Autowired
    MockMvc mvc;

    @Test
    @WithUserDetails("alice")
    void aTenantUserIsPointedToTheCatalogAndTheirSlices() throws Exception {
        String page = home();
        assertThat(page).contains("Welcome, Alice Chen", "id=\"home-tenant\"", "href=\"/catalog\"", "href=\"/slices\"",
                "href=\"/billing\"", "Your tenant&#39;s quota");
        assertThat(page).doesNotContain("id=\"home-tenant-admin\"", "id=\"home-operator\"", "href=\"/operator/hosts\"",
                "href=\"/tenant-admin\"", "href=\"/finance\"");
    }

    @Test
    @WithUserDetails("tom")
    void aTenantAdminAlsoFindsUsersAndTokens() throws Exception {
        String page = home();
        assertThat(page).contains("id=\"home-tenant\"", "id=\"home-tenant-admin\"", "href=\"/tenant-admin\"",
                "Users and tokens");
        assertThat(page).doesNotContain("id=\"home-operator\"");
    }

    @Test
    @WithUserDetails("olivia")
    void anOperatorFindsHostsGpusOfferingsAndTheAuditTrail() throws Exception {
        String page = home();
        assertThat(page).contains("id=\"home-operator\"", "href=\"/operator/hosts\"", "href=\"/operator/gpus\"",
                "href=\"/operator/offerings\"", "href=\"/operator/audit\"");
        assertThat(page).doesNotContain("id=\"home-tenant\"", "href=\"/catalog\"");
    }

    @Test
    @WithUserDetails("fiona")
    void financeFindsTheStatementsRateCardsAndCostCentres() throws Exception {
        assertThat(home()).contains("id=\"home-finance\"", "href=\"/finance\"", "href=\"/finance/rate-cards\"",
                        "href=\"/finance/cost-centres\"", "href=\"/finance/months/" + java.time.YearMonth.now(java.time.ZoneOffset.UTC) + "\"")
                .doesNotContain("id=\"home-tenant\"", "id=\"home-operator\"", "Coming in a later version", "href=\"/billing\"");
    }

    @Test
    @WithUserDetails("leo")
    void theLicenseAdministratorFindsTheLicensePages() throws Exception {
        assertThat(home()).contains("id=\"home-licenses\"", "href=\"/licenses\"", "href=\"/licenses/entitlements\"",
                        "href=\"/licenses/report\"")
                .doesNotContain("id=\"home-tenant\"", "id=\"home-operator\"", "Coming in a later version");
    }

    @Test
    @WithUserDetails("leo")
    void theHomePageSpeaksChinese() throws Exception {
        String page = mvc.perform(get("/").header("Accept-Language", "zh-CN")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("欢迎，Leo Novak", "NVIDIA vGPU 许可证", "打开许可证页面");
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/")).andExpect(redirectedUrl("/login"));
    }

    @Test
    void theLoginPageOffersBothLanguages() throws Exception {
        String page = mvc.perform(get("/login")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("href=\"?lang=en\"", "href=\"?lang=zh-CN\"", "简体中文", "English");
    }

    private String home() throws Exception {
        return mvc.perform(get("/")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
