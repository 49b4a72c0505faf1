package io.vgpuhub.web.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.vgpuhub.web.portal.PortalFixtures.Tenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
 * The request form: the offering chosen in the catalog comes preselected; bad input, missing capacity and quotas
 * come back on the form with a reason in the visitor's language, and nothing is written.
 */
@SpringBootTest
@AutoConfigureMockMvc
class RequestFormTests {

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
    long offering;
    long host;

    @BeforeEach
    void aTenantAndAHostWithTwoFreeVfs() {
        fixtures = new PortalFixtures(jdbc, passwords, users);
        tenant = fixtures.tenant();
        offering = fixtures.testOffering();
        host = fixtures.host(true);
        fixtures.gpu(host, PortalFixtures.TEST_MODEL, "VGPU", 2);
    }

    @AfterEach
    void hostOffline() {
        fixtures.takeOffline(host);
    }

    @Test
    void theOfferingFromTheCatalogComesPreselectedWithItsDetails() throws Exception {
        String page = page(get("/slices/new").param("offering", String.valueOf(offering)));
        assertThat(page).contains("<option value=\"" + offering + "\" selected=\"selected\">PT1-4Q (4 GB · 0.25 USD/h)</option>")
                .contains("id=\"chosen\"", "NVIDIA RTX Virtual Workstation", "Your tenant&#39;s quota")
                .doesNotContain("No host can take this offering right now");
    }

    @Test
    void anOfferingThatIsFullSaysSoBeforeTheRequest() throws Exception {
        String full = fixtures.code(fixtures.restrictedOffering("PT0", tenant.id()));
        String page = page(get("/slices/new").param("offering", String.valueOf(fixtures.offering(full))));
        assertThat(page).contains("No host can take this offering right now");
    }

    @ParameterizedTest
    @CsvSource({ "999999999", "abc", "-1", "''" })
    void anUnknownOrMalformedPreselectionShowsTheFormWithANotice(String value) throws Exception {
        String page = page(get("/slices/new").param("offering", value));
        assertThat(page).contains("That offering is not available to your tenant").doesNotContain("selected=\"selected\"");
    }

    @Test
    void anOfferingOnlyOtherTenantsSeeCanBeNeitherPreselectedNorRequested() throws Exception {
        Tenant other = fixtures.tenant();
        long hidden = fixtures.restrictedOffering(other.id());
        assertThat(page(get("/slices/new").param("offering", String.valueOf(hidden))))
                .contains("That offering is not available to your tenant");
        assertThat(page(post("/slices").with(csrf()).param("offeringId", String.valueOf(hidden)).param("vmName", "vm-1")))
                .contains("That offering is not available.");
        assertThat(fixtures.slicesOf(tenant.id())).isZero();
    }

    @Test
    void aRequestForTwoIsPlacedAndTheTenantIsSentToItsSlices() throws Exception {
        mvc.perform(as(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                        .param("vmName", "render-07").param("count", "2")))
                .andExpect(redirectedUrl("/slices"))
                .andExpect(flash().attribute("requestedCount", 2))
                .andExpect(flash().attribute("requestedVm", "render-07"));
        assertThat(jdbc.sql("select state from slice where tenant_id = ? and vm_name = 'render-07'").param(tenant.id())
                .query(String.class).list()).containsExactly("PLACED", "PLACED");
    }

    @Test
    void moreThanTheHostsCanTakeIsRefusedAllOrNothing() throws Exception {
        String page = page(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                .param("vmName", "render-08").param("count", "3"));
        assertThat(page).contains("No free capacity for 3 × PT1-4Q right now", "Nothing was reserved.")
                .contains("value=\"render-08\"", "value=\"3\"");
        assertThat(fixtures.slicesOf(tenant.id())).isZero();
    }

    @Test
    void theSliceQuotaIsNamedWithWhatIsUsedAndWhatIsAllowed() throws Exception {
        fixtures.quota(tenant.id(), 1, null);
        String page = page(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                .param("vmName", "render-09").param("count", "2"));
        assertThat(page).contains("past its quota of live slices: 1 allowed, 0 in use, and this request asks for 2 more");
        assertThat(page).contains("0 of 1");
        assertThat(fixtures.slicesOf(tenant.id())).isZero();
    }

    @Test
    void theGpuMemoryQuotaIsNamedInGigabytes() throws Exception {
        fixtures.quota(tenant.id(), null, 6144L);
        String page = page(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                .param("vmName", "render-10").param("count", "2"));
        assertThat(page).contains("past its GPU memory quota: 6 GB allowed, 0 GB in use, and this request asks for 8 GB more");
        assertThat(fixtures.slicesOf(tenant.id())).isZero();
    }

    @Test
    void theQuotaMessageSpeaksChineseToo() throws Exception {
        fixtures.quota(tenant.id(), 1, null);
        String page = page(post("/slices").with(csrf()).header("Accept-Language", "zh-CN")
                .param("offeringId", String.valueOf(offering)).param("vmName", "render-11").param("count", "2"));
        assertThat(page).contains("超出使用中切片的配额：允许 1 个，已使用 0 个，本次申请还需要 2 个", "没有预留任何资源");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0   | Ask for at least one slice.",
            "99  | One request may ask for at most 8 slices.",
            "-3  | Ask for at least one slice.",
            "abc | Give the number of slices as a whole number from 1 to 8.",
            "''  | Say how many slices you need, from 1 to 8." })
    void aCountOutsideOneToEightIsExplained(String count, String message) throws Exception {
        long before = fixtures.allSlices();
        String page = page(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                .param("vmName", "vm-1").param("count", count));
        assertThat(page).contains(message);
        assertThat(fixtures.allSlices()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0   | 至少申请一个切片。",
            "99  | 一次申请最多 8 个切片。",
            "abc | 切片数量请填写 1 到 8 之间的整数。" })
    void countMessagesInChinese(String count, String message) throws Exception {
        String page = page(post("/slices").with(csrf()).header("Accept-Language", "zh-CN")
                .param("offeringId", String.valueOf(offering)).param("vmName", "vm-1").param("count", count));
        assertThat(page).contains(message);
    }

    @Test
    void theOfferingAndVmNameAreExplainedInBothLanguages() throws Exception {
        assertThat(page(post("/slices").with(csrf()).param("offeringId", "abc").param("vmName", "")))
                .contains("Choose an offering from the list.", "Give the name of the VM the slice is for.");
        assertThat(page(post("/slices").with(csrf()).header("Accept-Language", "zh-CN")
                        .param("vmName", "bad name!")))
                .contains("请选择产品。", "请使用 1 到 63 个字母、数字、点、短横线或下划线");
        assertThat(fixtures.slicesOf(tenant.id())).isZero();
    }

    @Test
    void anUnknownOfferingIdIsRefusedOnTheForm() throws Exception {
        assertThat(page(post("/slices").with(csrf()).param("offeringId", "999999999").param("vmName", "vm-1")))
                .contains("That offering is not available.");
        assertThat(fixtures.slicesOf(tenant.id())).isZero();
    }

    @Test
    @WithUserDetails("olivia")
    void anOperatorCannotRequest() throws Exception {
        mvc.perform(get("/slices/new")).andExpect(status().isForbidden());
        mvc.perform(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering)).param("vmName", "vm-1"))
                .andExpect(status().isForbidden());
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/slices/new")).andExpect(redirectedUrl("/login"));
    }

    private MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder request) {
        return request.with(user(fixtures.user(tenant.username())));
    }

    private String page(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(as(request)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
