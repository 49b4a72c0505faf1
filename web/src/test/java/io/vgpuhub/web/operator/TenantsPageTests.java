package io.vgpuhub.web.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import io.vgpuhub.web.slice.QuotaUse;
import io.vgpuhub.web.slice.Quotas;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The tenants page: what each tenant holds, its quotas, and setting them. */
@OperatorPageTest
@WithUserDetails("olivia")
class TenantsPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Quotas quotas;

    OperatorFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new OperatorFixtures(jdbc);
    }

    @Test
    void eachTenantShowsItsLiveSlicesFramebufferAndQuotas() throws Exception {
        long host = fixtures.host(OperatorFixtures.unique("tenant-host"), "OFFLINE", null, null);
        long gpu = fixtures.gpu(host, "A40", "VGPU", false, 4);
        fixtures.slice(gpu, "A40-8Q", "t-1", null);
        String limited = OperatorFixtures.unique("Limited Labs");
        long limitedId = fixtures.tenant(limited);
        jdbc.sql("update tenant set quota_max_slices = 5, quota_max_framebuffer_mib = 65536 where id = ?").param(limitedId)
                .update();

        QuotaUse acme = quotas.useOf(fixtures.acme());
        mvc.perform(get("/operator/tenants")).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        matchesPattern("(?s).*data-tenant=\"Acme Research\">.*?<td>" + acme.usedSlices() + "</td>.*?"
                                + String.format("%,d", acme.usedFramebufferMib()) + " MiB.*?unlimited.*?unlimited.*"),
                        matchesPattern("(?s).*data-tenant=\"" + limited + "\">.*?<td>0</td>.*?0 MiB.*?>5<.*?65,536 MiB.*"))));
    }

    @Test
    void settingQuotasIsAuditedAndIsWhatRequestsAreCheckedAgainst() throws Exception {
        String name = OperatorFixtures.unique("Quota Corp");
        long tenant = fixtures.tenant(name);

        mvc.perform(post("/operator/tenants/{id}", tenant).with(csrf()).param("maxSlices", "3")
                        .param("maxFramebufferMib", "24576"))
                .andExpect(redirectedUrl("/operator/tenants"))
                .andExpect(flash().attribute("notice", "Quotas of " + name + " saved."));

        QuotaUse use = quotas.useOf(tenant);
        assertThat(use.maxSlices()).isEqualTo(3);
        assertThat(use.maxFramebufferMib()).isEqualTo(24576L);
        assertThat(fixtures.audits("tenant.quota", name)).isEqualTo(1);
        assertThat(jdbc.sql("select tenant_id from audit_event where action = 'tenant.quota' and target = ?").param(name)
                .query(Long.class).single()).isEqualTo(tenant);

        mvc.perform(post("/operator/tenants/{id}", tenant).with(csrf()).param("maxSlices", "").param("maxFramebufferMib", ""))
                .andExpect(flash().attribute("notice", "Quotas of " + name + " saved."));
        use = quotas.useOf(tenant);
        assertThat(use.maxSlices()).isNull();
        assertThat(use.maxFramebufferMib()).isNull();
        assertThat(fixtures.audits("tenant.quota", name)).isEqualTo(2);

        mvc.perform(post("/operator/tenants/{id}", tenant).with(csrf()).param("maxSlices", "").param("maxFramebufferMib", ""))
                .andExpect(flash().attribute("refusal", name + " already had these quotas; nothing was changed."));
        assertThat(fixtures.audits("tenant.quota", name)).isEqualTo(2);
    }

    @Test
    void theEditFormShowsTheTenantsUseAndQuotas() throws Exception {
        long tenant = fixtures.tenant(OperatorFixtures.unique("Form Inc"));
        jdbc.sql("update tenant set quota_max_slices = 7 where id = ?").param(tenant).update();
        mvc.perform(get("/operator/tenants/{id}", tenant)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Now in use: 0 live slices, 0 MiB framebuffer."),
                        matchesPattern("(?s).*id=\"maxSlices\"[^>]*value=\"7\".*"))));
    }

    @Test
    void badQuotasAreExplainedAndChangeNothing() throws Exception {
        long tenant = fixtures.tenant(OperatorFixtures.unique("Strict Ltd"));
        jdbc.sql("update tenant set quota_max_slices = 4 where id = ?").param(tenant).update();
        long audits = fixtures.allAudits();

        expectError(tenant, "-1", "", "A quota cannot be negative. Leave the field empty for no limit.");
        expectError(tenant, "four", "", "Enter a whole number of slices, or leave the field empty for no limit.");
        expectError(tenant, "2.5", "", "Enter a whole number of slices, or leave the field empty for no limit.");
        expectError(tenant, "", "8 GB", "Enter a whole number of MiB (8 GB is 8192), or leave the field empty for no limit.");
        expectError(tenant, "1", "-8192", "A quota cannot be negative. Leave the field empty for no limit.");
        expectError(tenant, "999999999999", "", "Enter a whole number of slices, or leave the field empty for no limit.");

        assertThat(quotas.useOf(tenant).maxSlices()).isEqualTo(4);
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }

    @Test
    void anUnknownOrMalformedTenantIsExplained() throws Exception {
        mvc.perform(post("/operator/tenants/{id}", 776655).with(csrf()).param("maxSlices", "1"))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no tenant with id 776655.")));
        mvc.perform(get("/operator/tenants/{id}", "acme")).andExpect(status().isBadRequest());
    }

    @Test
    void aQuotaBelowCurrentUseIsFlagged() throws Exception {
        String name = OperatorFixtures.unique("Over Use");
        long tenant = fixtures.tenant(name);
        jdbc.sql("insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, 'Over', ?)")
                .params(tenant, name.toLowerCase().replace(' ', '-'), "x".repeat(60)).update();
        long host = fixtures.host(OperatorFixtures.unique("over-host"), "OFFLINE", null, null);
        long gpu = fixtures.gpu(host, "H100-80GB", "PASSTHROUGH", true, 0);
        jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id)
                select gen_random_uuid(), ?, u.id, o.id, 'PASSTHROUGH', 'over-1', 'READY', ?
                from app_user u, offering o where u.tenant_id = ? and o.code = 'H100-80GB whole GPU'
                """).params(tenant, gpu, tenant).update();
        jdbc.sql("update tenant set quota_max_slices = 0 where id = ?").param(tenant).update();

        mvc.perform(get("/operator/tenants"))
                .andExpect(content().string(matchesPattern("(?s).*data-tenant=\"" + name
                        + "\">.*?over quota: new requests are refused until slices are released.*")));
    }

    private void expectError(long tenant, String maxSlices, String maxFramebufferMib, String message) throws Exception {
        mvc.perform(post("/operator/tenants/{id}", tenant).with(csrf()).param("maxSlices", maxSlices)
                        .param("maxFramebufferMib", maxFramebufferMib))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(message)));
    }
}
