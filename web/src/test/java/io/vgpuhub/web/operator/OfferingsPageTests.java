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

import java.math.BigDecimal;
import java.util.List;

import io.vgpuhub.web.catalog.Catalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The offerings page: grouped by model and kind, on and off, price, description and visibility, each audited. */
@OperatorPageTest
@WithUserDetails("olivia")
class OfferingsPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Catalog catalog;

    OperatorFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new OperatorFixtures(jdbc);
    }

    @Test
    void offeringsAreGroupedByGpuModelAndKindWithPriceAndVisibility() throws Exception {
        mvc.perform(get("/operator/offerings")).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("A100-40GB</span> · <span>MIG"),
                        containsString("A100-40GB</span> · <span>whole GPU (passthrough)"),
                        containsString("T4</span> · <span>time-sliced vGPU"),
                        matchesPattern("(?s).*data-offering=\"A30 4g.24gb\">\\s*<td><strong>A30 4g.24gb</strong>\\s*</td>\\s*"
                                + "<td>23 GB</td>\\s*<td>1</td>\\s*<td>none needed</td>\\s*<td class=\"price\">1.20</td>\\s*"
                                + "<td>every tenant</td>.*"),
                        matchesPattern("(?s).*data-offering=\"A30 whole GPU\">.*?<td>VCS</td>.*"),
                        matchesPattern("(?s).*data-offering=\"T4-16Q\".*?16 GB.*?VWS.*?0.44.*"))));
    }

    @Test
    void disablingAndEnablingAnOfferingIsAuditedAndTenantsStopSeeingIt() throws Exception {
        long id = fixtures.offering("A10-8C");

        mvc.perform(post("/operator/offerings/{id}/disable", id).with(csrf()))
                .andExpect(redirectedUrl("/operator/offerings"))
                .andExpect(flash().attribute("notice", containsString("Offering A10-8C is disabled")));
        assertThat(enabled(id)).isFalse();
        assertThat(catalog.enabledOffering(id)).isEmpty();
        assertThat(fixtures.audits("offering.disable", "A10-8C")).isEqualTo(1);

        mvc.perform(post("/operator/offerings/{id}/disable", id).with(csrf()))
                .andExpect(flash().attribute("refusal", "Offering A10-8C already is disabled; nothing was changed."));
        assertThat(fixtures.audits("offering.disable", "A10-8C")).isEqualTo(1);

        mvc.perform(post("/operator/offerings/{id}/enable", id).with(csrf()))
                .andExpect(flash().attribute("notice", containsString("Offering A10-8C is enabled")));
        assertThat(enabled(id)).isTrue();
        assertThat(fixtures.audits("offering.enable", "A10-8C")).isEqualTo(1);
    }

    @Test
    void theEditFormShowsTheCurrentSettings() throws Exception {
        long id = fixtures.offering("A16-2B");
        mvc.perform(get("/operator/offerings/{id}", id)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Edit offering A16-2B"),
                        matchesPattern("(?s).*id=\"pricePerHour\"[^>]*value=\"0.063\".*"),
                        containsString("Acme Research"))));
    }

    @Test
    void priceDescriptionAndVisibilityAreSavedEachWithItsAuditRow() throws Exception {
        long id = fixtures.offering("L40S-12Q");
        long acme = fixtures.acme();

        mvc.perform(post("/operator/offerings/{id}", id).with(csrf()).param("pricePerHour", "0.55")
                        .param("description", "  CAD and rendering workstations  ").param("tenantIds", String.valueOf(acme)))
                .andExpect(redirectedUrl("/operator/offerings"))
                .andExpect(flash().attribute("notice", "Offering L40S-12Q saved."));

        record Saved(BigDecimal pricePerHour, String description) {
        }
        Saved saved = jdbc.sql("select price_per_hour, description from offering where id = ?").param(id)
                .query(Saved.class).single();
        assertThat(saved.pricePerHour()).isEqualByComparingTo("0.55");
        assertThat(saved.description()).isEqualTo("CAD and rendering workstations");
        assertThat(visibleTo(id)).containsExactly(acme);
        assertThat(fixtures.audits("offering.price", "L40S-12Q")).isEqualTo(1);
        assertThat(fixtures.audits("offering.description", "L40S-12Q")).isEqualTo(1);
        assertThat(fixtures.audits("offering.visibility", "L40S-12Q")).isEqualTo(1);
        mvc.perform(get("/operator/offerings"))
                .andExpect(content().string(matchesPattern(
                        "(?s).*data-offering=\"L40S-12Q\".*?CAD and rendering workstations.*?0.55.*?Acme Research.*")));

        // Nothing ticked: every tenant sees it again.
        mvc.perform(post("/operator/offerings/{id}", id).with(csrf()).param("pricePerHour", "0.55")
                        .param("description", "CAD and rendering workstations"))
                .andExpect(flash().attribute("notice", "Offering L40S-12Q saved."));
        assertThat(visibleTo(id)).isEmpty();
        assertThat(fixtures.audits("offering.visibility", "L40S-12Q")).isEqualTo(2);
        assertThat(fixtures.audits("offering.price", "L40S-12Q")).isEqualTo(1);

        mvc.perform(post("/operator/offerings/{id}", id).with(csrf()).param("pricePerHour", "0.5500")
                        .param("description", "CAD and rendering workstations"))
                .andExpect(flash().attribute("refusal", "Offering L40S-12Q already had these settings; nothing was changed."));
    }

    @Test
    void badPricesAndDescriptionsAreExplainedAndChangeNothing() throws Exception {
        long id = fixtures.offering("A40-6C");
        BigDecimal before = price(id);
        long audits = fixtures.allAudits();

        expectFormError(id, "-1", "x", "The price cannot be negative.");
        expectFormError(id, "cheap", "x", "Enter the price as a number, such as 0.25.");
        expectFormError(id, "", "x", "Enter a price per hour (0 or more).");
        expectFormError(id, "0.12345", "x", "Use at most 8 digits before the decimal point and 4 after it.");
        expectFormError(id, "123456789", "x", "Use at most 8 digits before the decimal point and 4 after it.");
        expectFormError(id, "1", "d".repeat(501), "Use at most 500 characters.");

        assertThat(price(id)).isEqualByComparingTo(before);
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }

    @Test
    void unknownTenantsAndOfferingsAreExplainedAndChangeNothing() throws Exception {
        long id = fixtures.offering("A40-12C");
        long audits = fixtures.allAudits();
        BigDecimal before = price(id);

        mvc.perform(post("/operator/offerings/{id}", id).with(csrf()).param("pricePerHour", "9")
                        .param("tenantIds", String.valueOf(fixtures.acme()), "998877"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("One of the chosen tenants does not exist (any more). Nothing was changed.")));
        mvc.perform(post("/operator/offerings/{id}", id).with(csrf()).param("pricePerHour", "9").param("tenantIds", "acme"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Choose tenants from the list.")));
        mvc.perform(post("/operator/offerings/{id}/disable", 998877).with(csrf()))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no offering with id 998877.")));
        mvc.perform(get("/operator/offerings/{id}", 998877)).andExpect(status().isNotFound());
        mvc.perform(post("/operator/offerings/{id}", "A40-12C").with(csrf()).param("pricePerHour", "9"))
                .andExpect(status().isBadRequest());

        assertThat(price(id)).isEqualByComparingTo(before);
        assertThat(visibleTo(id)).isEmpty();
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }

    private void expectFormError(long id, String price, String description, String message) throws Exception {
        mvc.perform(post("/operator/offerings/{id}", id).with(csrf()).param("pricePerHour", price)
                        .param("description", description))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(message)));
    }

    private boolean enabled(long id) {
        return jdbc.sql("select enabled from offering where id = ?").param(id).query(Boolean.class).single();
    }

    private BigDecimal price(long id) {
        return jdbc.sql("select price_per_hour from offering where id = ?").param(id).query(BigDecimal.class).single();
    }

    private List<Long> visibleTo(long id) {
        return jdbc.sql("select tenant_id from offering_tenant where offering_id = ?").param(id).query(Long.class).list();
    }
}
