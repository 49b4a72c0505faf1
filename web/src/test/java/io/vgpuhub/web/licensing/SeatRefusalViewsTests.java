package io.vgpuhub.web.licensing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import io.vgpuhub.web.apitoken.ApiTokens;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** What the tenant sees of seats: why a request was refused (portal and API), and which slices run unlicensed. */
@LicensingTest
class SeatRefusalViewsTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UserDetailsService users;

    @Autowired
    ApiTokens tokens;

    @Autowired
    SliceRequests requests;

    SeatCluster seats;
    Requester tenant;
    String username;
    long offering;

    @BeforeEach
    void aTenantAndAnA40WithRoom() {
        seats = new SeatCluster(jdbc);
        seats.cluster.gpu(seats.cluster.host(), "A40", "VGPU", 16);
        String name = "Views-" + UUID.randomUUID().toString().substring(0, 6);
        tenant = seats.cluster.tenant(name, null, null);
        username = "pt-" + name.toLowerCase();
        offering = seats.cluster.offering("A40-4Q");
        seats.entitle("VWS", 1);
        requests.request(tenant, offering, "holds-the-seat", 1);
    }

    @Test
    void theRequestFormSaysWhichEditionHasNoFreeSeatAndWhomToAsk() throws Exception {
        String page = page(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                .param("vmName", "refused-01").param("count", "1"));

        assertThat(page).contains("No NVIDIA RTX Virtual Workstation seat is free. "
                        + "Ask your provider&#39;s license administrator. Nothing was reserved.")
                .contains("value=\"refused-01\"")
                .as("the provider's seat counts are not the tenant's business").doesNotContain("1 of 1");
        assertThat(seats.slices()).isEqualTo(1);
    }

    @Test
    void theRefusalSpeaksChineseToo() throws Exception {
        String page = page(post("/slices").with(csrf()).header("Accept-Language", "zh-CN")
                .param("offeringId", String.valueOf(offering)).param("vmName", "refused-02").param("count", "1"));

        assertThat(page).contains("没有空闲的 NVIDIA RTX 虚拟工作站（vWS） 席位。请联系服务提供商的许可证管理员。");
    }

    @Test
    void theApiAnswersAConflictProblemNamingTheEdition() throws Exception {
        String token = tokens.issue(tenant.tenantId(), tenant.userId(), "test", "seats", null).secret();

        mvc.perform(post("/api/v1/slices").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"offeringCode": "A40-4Q", "vmName": "refused-03"}"""))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:vgpuhub:problem:no-license-seat"))
                .andExpect(jsonPath("$.title").value("No NVIDIA RTX Virtual Workstation seat free"))
                .andExpect(jsonPath("$.detail").value("No NVIDIA RTX Virtual Workstation seat is free. "
                        + "Ask your provider's license administrator. Nothing was reserved."))
                .andExpect(jsonPath("$.edition").value("VWS"))
                .andExpect(jsonPath("$.entitled").doesNotExist())
                .andExpect(jsonPath("$.inUse").doesNotExist());
        assertThat(seats.slices()).isEqualTo(1);
    }

    @Test
    void anUnlicensedSliceIsFlaggedOnMySlicesAndInTheApi() throws Exception {
        seats.policy("VWS", "ALLOW_UNLICENSED");
        requests.request(tenant, offering, "no-seat-01", 1);
        String token = tokens.issue(tenant.tenantId(), tenant.userId(), "test", "flags", null).secret();

        String page = page(get("/slices"));
        assertThat(page).contains("Unlicensed: no license seat", "license seat held");
        assertThat(page.indexOf("Unlicensed: no license seat")).isGreaterThan(page.indexOf("no-seat-01"));

        mvc.perform(get("/api/v1/slices").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.vmName == 'no-seat-01')].licensed").value(false))
                .andExpect(jsonPath("$[?(@.vmName == 'holds-the-seat')].licensed").value(true));
    }

    private String page(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.with(user(users.loadUserByUsername(username))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
