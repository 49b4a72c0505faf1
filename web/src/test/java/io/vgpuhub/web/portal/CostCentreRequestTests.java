package io.vgpuhub.web.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.vgpuhub.web.portal.PortalFixtures.Tenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The cost centre a tenant's slices bill to: offered on the request form (the root by default), stored with the
 * slices, and never another tenant's.
 */
@SpringBootTest
@AutoConfigureMockMvc
class CostCentreRequestTests {

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
    void aTenantWithASubCostCentreAndAHost() {
        fixtures = new PortalFixtures(jdbc, passwords, users);
        tenant = fixtures.tenant();
        subCostCentre(tenant.id(), "CC-4711", "Render farm");
        offering = fixtures.testOffering();
        host = fixtures.host(true);
        fixtures.gpu(host, PortalFixtures.TEST_MODEL, "VGPU", 2);
    }

    @AfterEach
    void hostOffline() {
        fixtures.takeOffline(host);
    }

    @Test
    void theFormOffersTheTenantsCostCentresWithTheRootChosen() throws Exception {
        Tenant other = fixtures.tenant();
        subCostCentre(other.id(), "CC-OTHER", "Not yours");
        String page = page(get("/slices/new"));
        assertThat(page).contains("id=\"costCentre\"")
                // The root comes first, so a browser shows it chosen; its empty value means "the root".
                .containsPattern("<select id=\"costCentre\"[^>]*>\\s*<option value=\"\">TENANT-" + tenant.id()
                        + " · [^<]*main cost centre")
                .contains("<option value=\"CC-4711\">CC-4711 · Render farm</option>")
                .doesNotContain("CC-OTHER");
    }

    @Test
    void slicesBillToTheChosenCostCentreOrElseToTheRoot() throws Exception {
        mvc.perform(as(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                .param("vmName", "billed-01").param("costCentre", "CC-4711"))).andExpect(redirectedUrl("/slices"));
        mvc.perform(as(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                .param("vmName", "billed-02").param("costCentre", ""))).andExpect(redirectedUrl("/slices"));
        assertThat(costCentreOf("billed-01")).isEqualTo("CC-4711");
        assertThat(costCentreOf("billed-02")).isEqualTo("TENANT-" + tenant.id());
    }

    @Test
    void anotherTenantsOrAnUnknownCostCentreIsRefusedOnTheFormAndNothingIsReserved() throws Exception {
        Tenant other = fixtures.tenant();
        subCostCentre(other.id(), "CC-OTHER", "Not yours");
        for (String code : new String[] { "CC-OTHER", "NOPE" }) {
            String page = page(post("/slices").with(csrf()).param("offeringId", String.valueOf(offering))
                    .param("vmName", "billed-03").param("costCentre", code));
            assertThat(page).contains("Your tenant has no cost centre " + code + ". Choose one from the list.");
        }
        assertThat(fixtures.slicesOf(tenant.id())).isZero();
    }

    private void subCostCentre(long tenantId, String code, String name) {
        jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                select tenant_id, id, ?, ? from cost_centre where tenant_id = ? and parent_id is null""")
                .params(code, name, tenantId).update();
    }

    private String costCentreOf(String vmName) {
        return jdbc.sql("""
                select c.code from slice s join cost_centre c on c.id = s.cost_centre_id
                where s.tenant_id = ? and s.vm_name = ?""").params(tenant.id(), vmName).query(String.class).single();
    }

    private MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder request) {
        return request.with(user(fixtures.user(tenant.username())));
    }

    private String page(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(as(request)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }
}
