package io.vgpuhub.web.finance.costcentres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.hamcrest.Matchers.containsString;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** Finance's cost centre pages: every tenant's root, adding, renaming, recoding and deleting subs, all audited. */
@SpringBootTest(properties = "vgpuhub.test.database=finance-admin-pages")
@AutoConfigureMockMvc
@WithUserDetails("fiona")
class CostCentresPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    long tenant;
    String name;

    @BeforeEach
    void aTenant() {
        name = "CC pages " + UUID.randomUUID().toString().substring(0, 8);
        tenant = jdbc.sql("insert into tenant (name) values (?) returning id").param(name).query(Long.class).single();
    }

    @Test
    void everyTenantIsListedWithItsRootCostCentre() throws Exception {
        mvc.perform(get("/finance/cost-centres")).andExpect(status().isOk())
                .andExpect(content().string(containsString(name)))
                .andExpect(content().string(containsString("TENANT-" + tenant)));
    }

    @Test
    void aSubCostCentreIsAddedRenamedRecodedAndDeletedEachAudited() throws Exception {
        long audits = audits();
        mvc.perform(post("/finance/cost-centres/{t}", tenant).with(csrf()).param("code", " CC-4711 ").param("name", "Render farm"))
                .andExpect(redirectedUrl("/finance/cost-centres/" + tenant))
                .andExpect(flash().attribute("notice", "Added the cost centre CC-4711 (Render farm)."));
        long id = jdbc.sql("select id from cost_centre where tenant_id = ? and code = 'CC-4711'").param(tenant)
                .query(Long.class).single();
        mvc.perform(get("/finance/cost-centres/{t}", tenant)).andExpect(status().isOk())
                .andExpect(content().string(containsString("TENANT-" + tenant + "/CC-4711")));

        mvc.perform(post("/finance/cost-centres/{t}/{id}", tenant, id).with(csrf()).param("code", "CC-4712")
                        .param("name", "Render farm B"))
                .andExpect(flash().attribute("notice", "Saved the cost centre CC-4711: now CC-4712 (Render farm B)."));
        mvc.perform(post("/finance/cost-centres/{t}/{id}", tenant, id).with(csrf()).param("code", "CC-4712")
                        .param("name", "Render farm B"))
                .andExpect(flash().attribute("refusal", "The cost centre CC-4712 already had this code and name; nothing was changed."));
        mvc.perform(post("/finance/cost-centres/{t}/{id}/delete", tenant, id).with(csrf()))
                .andExpect(flash().attribute("notice", "Deleted the cost centre CC-4712 (Render farm B)."));
        assertThat(audits()).isEqualTo(audits + 3);
    }

    @Test
    void badInputIsExplainedOnTheFormAndNothingIsWritten() throws Exception {
        jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                select tenant_id, id, 'CC-1', 'First' from cost_centre where tenant_id = ? and parent_id is null""")
                .param(tenant).update();
        String before = centres();
        long audits = audits();
        String page = mvc.perform(post("/finance/cost-centres/{t}", tenant).with(csrf()).param("code", "-bad code")
                        .param("name", " "))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Please correct the fields marked below; nothing was saved.",
                "Use letters, digits, dots, dashes, underscores or slashes", "Give the cost centre a name.");
        assertThat(mvc.perform(post("/finance/cost-centres/{t}", tenant).with(csrf()).param("code", "cc-1")
                        .param("name", "Second")).andReturn().getResponse().getContentAsString())
                .contains("The tenant already has a cost centre cc-1");
        long root = jdbc.sql("select id from cost_centre where tenant_id = ? and parent_id is null").param(tenant)
                .query(Long.class).single();
        mvc.perform(post("/finance/cost-centres/{t}/{id}", tenant, root).with(csrf()).param("code", "CC-1").param("name", "x"))
                .andExpect(flash().attribute("refusal", containsString("was not changed: The tenant already has a cost centre CC-1")));
        mvc.perform(post("/finance/cost-centres/{t}/{id}/delete", tenant, root).with(csrf()))
                .andExpect(flash().attribute("refusal", "TENANT-" + tenant
                        + " is the tenant’s root cost centre and stays as long as the tenant; nothing was changed."));
        assertThat(centres()).isEqualTo(before);
        assertThat(audits()).isEqualTo(audits);
    }

    @Test
    void unknownTenantsAndCostCentresGetAPageThatSaysSo() throws Exception {
        mvc.perform(get("/finance/cost-centres/{t}", 987654321)).andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no tenant with id 987654321.")));
        mvc.perform(post("/finance/cost-centres/{t}/{id}/delete", tenant, 987654321).with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(get("/finance/cost-centres/{t}", "acme")).andExpect(status().isBadRequest());
    }

    private String centres() {
        return jdbc.sql("select string_agg(code || ':' || name, ',' order by id) from cost_centre where tenant_id = ?")
                .param(tenant).query(String.class).single();
    }

    private long audits() {
        return jdbc.sql("select count(*) from audit_event where action like 'costcentre.%' and tenant_id = ?")
                .param(tenant).query(Long.class).single();
    }
}
