package io.vgpuhub.web.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Recording, correcting and expiring entitlements through the forms: checked, audited, and nothing written on bad input. */
@LicensesPageTest
@WithUserDetails("leo")
class EntitlementsPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    LicenseFixtures fixtures;

    @BeforeEach
    void noEntitlements() {
        fixtures = new LicenseFixtures(jdbc);
        fixtures.clear();
    }

    @Test
    void anEntitlementIsRecordedFromTheFormAndAudited() throws Exception {
        mvc.perform(post("/licenses/entitlements").with(csrf()).param("edition", "VWS").param("seats", "25")
                        .param("validFrom", "2025-01-01").param("validUntil", "2026-01-01")
                        .param("orderReference", " PO-2025-0042 ").param("notes", "renewal"))
                .andExpect(redirectedUrl("/licenses/entitlements"))
                .andExpect(flash().attribute("notice", "Recorded 25 seats of VWS (order PO-2025-0042)."));

        record Stored(String edition, int seats, OffsetDateTime validFrom, OffsetDateTime validUntil, String orderReference,
                String notes) {
        }
        Stored stored = jdbc.sql("select edition, seats, valid_from, valid_until, order_reference, notes from license_entitlement")
                .query(Stored.class).single();
        assertThat(stored.edition()).isEqualTo("VWS");
        assertThat(stored.seats()).isEqualTo(25);
        assertThat(stored.validFrom().toInstant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(stored.validUntil().toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(stored.orderReference()).isEqualTo("PO-2025-0042");
        assertThat(stored.notes()).isEqualTo("renewal");
        assertThat(fixtures.audits("entitlement.create")).isEqualTo(1);

        mvc.perform(get("/licenses/entitlements")).andExpect(status().isOk())
                .andExpect(content().string(matchesPattern("(?s).*<td>VWS</td>\\s*<td class=\"num\">25</td>\\s*"
                        + "<td>2025-01-01</td>\\s*<td>2026-01-01</td>.*PO-2025-0042.*")));
    }

    @Test
    void badInputIsExplainedBesideEachFieldAndNothingIsWritten() throws Exception {
        long audits = fixtures.allAudits();

        expectErrors(post("/licenses/entitlements").param("seats", "0").param("validFrom", "2025-01-01")
                .param("orderReference", "PO-1"), "Choose the edition the seats are of.", "Enter at least 1 seat.");
        expectErrors(post("/licenses/entitlements").param("edition", "VWS").param("seats", "many")
                .param("validFrom", "2025-01-01").param("orderReference", "PO-1"), "Enter the seats as a whole number, such as 25.");
        expectErrors(post("/licenses/entitlements").param("edition", "VWS").param("seats", "1000001")
                .param("validFrom", "2025-01-01").param("orderReference", "PO-1"), "Enter at most 1000000 seats.");
        expectErrors(post("/licenses/entitlements").param("edition", "VDI").param("seats", "5")
                .param("validFrom", "2025-01-01").param("orderReference", "PO-1"), "Choose an edition from the list.");
        expectErrors(post("/licenses/entitlements").param("edition", "VWS").param("seats", "5")
                .param("validFrom", "2025-06-01").param("validUntil", "2025-06-01").param("orderReference", "PO-1"),
                "The end must come after the first day; leave it empty for a perpetual entitlement.");
        expectErrors(post("/licenses/entitlements").param("edition", "VWS").param("seats", "5")
                .param("validFrom", "1st of June").param("orderReference", "   "),
                "Enter the first day as a date, such as 2025-01-01.",
                "Enter the order reference (purchase order or NVIDIA order number).");
        expectErrors(post("/licenses/entitlements").param("edition", "VWS").param("seats", "5")
                .param("validFrom", "2025-06-01").param("orderReference", "P".repeat(101)).param("notes", "n".repeat(2001)),
                "Use at most 100 characters.", "Use at most 2000 characters.");
        // PostgreSQL's text refuses NUL: the form says so instead of a 500 page.
        expectErrors(post("/licenses/entitlements").param("edition", "VWS").param("seats", "5")
                .param("validFrom", "2025-06-01").param("orderReference", "PO\u0000-1").param("notes", "bad\u0000note"),
                "Use printable characters only.", "Use printable characters and line breaks only.");
        expectErrors(post("/licenses/entitlements").param("edition", "VWS").param("seats", "5")
                .param("validFrom", "0025-06-01").param("orderReference", "PO-1"),
                "Use a day between the years 2000 and 2999.");
        expectErrors(post("/licenses/entitlements").param("edition", "VWS").param("seats", "5")
                .param("validFrom", "2025-06-01").param("validUntil", "3500-01-01").param("orderReference", "PO-1"),
                "Use a day between the years 2000 and 2999, or leave it empty.");

        assertThat(fixtures.entitlements()).isZero();
        assertThat(fixtures.allAudits()).isEqualTo(audits);
    }

    @Test
    void theFormSpeaksChineseToo() throws Exception {
        mvc.perform(post("/licenses/entitlements").with(csrf()).locale(Locale.SIMPLIFIED_CHINESE).param("edition", "VWS")
                        .param("seats", "0").param("validFrom", "2025-01-01").param("orderReference", "PO-1"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("至少填写 1 个席位。"), containsString("登记授权"))));
    }

    @Test
    void editingChangesTheEntitlementKeepsAnEndWithinTheSameDayAndIsAudited() throws Exception {
        Instant endedAt = Instant.parse("2025-03-10T14:20:00Z");
        long id = fixtures.entitlement("VPC", 10, Instant.parse("2025-01-01T00:00:00Z"), endedAt, "PO-7");

        mvc.perform(get("/licenses/entitlements/{id}", id)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Edit entitlement PO-7"),
                        matchesPattern("(?s).*id=\"seats\"[^>]*value=\"10\".*"),
                        matchesPattern("(?s).*id=\"validUntil\"[^>]*value=\"2025-03-10\".*"))));

        mvc.perform(post("/licenses/entitlements/{id}", id).with(csrf()).param("edition", "VPC").param("seats", "12")
                        .param("validFrom", "2025-01-01").param("validUntil", "2025-03-10").param("orderReference", "PO-7"))
                .andExpect(redirectedUrl("/licenses/entitlements"))
                .andExpect(flash().attribute("notice", "Entitlement PO-7 saved."));
        assertThat(jdbc.sql("select seats from license_entitlement where id = ?").param(id).query(Integer.class).single())
                .isEqualTo(12);
        assertThat(jdbc.sql("select valid_until from license_entitlement where id = ?").param(id)
                .query(OffsetDateTime.class).single().toInstant()).as("the day did not change, so neither did the instant")
                .isEqualTo(endedAt);
        assertThat(fixtures.audits("entitlement.update")).isEqualTo(1);

        mvc.perform(post("/licenses/entitlements/{id}", id).with(csrf()).param("edition", "VPC").param("seats", "12")
                        .param("validFrom", "2025-01-01").param("validUntil", "2025-03-10").param("orderReference", "PO-7"))
                .andExpect(flash().attribute("refusal", "Entitlement PO-7 already had these values; nothing was changed."));
        assertThat(fixtures.audits("entitlement.update")).isEqualTo(1);

        mvc.perform(post("/licenses/entitlements/{id}", id).with(csrf()).param("edition", "VPC").param("seats", "-1")
                        .param("validFrom", "2025-01-01").param("orderReference", "PO-7"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("Enter at least 1 seat.")));
        assertThat(jdbc.sql("select seats from license_entitlement where id = ?").param(id).query(Integer.class).single())
                .isEqualTo(12);
    }

    @Test
    void expiringEndsAnEntitlementNowOnceAndIsAudited() throws Exception {
        long id = fixtures.entitlement("VCS", 4, Instant.parse("2025-01-01T00:00:00Z"), null, "PO-9");

        mvc.perform(get("/licenses/entitlements")).andExpect(content().string(allOf(
                containsString("Expire 4 seats of VCS (order PO-9) now?"), containsString("valid now"))));
        mvc.perform(post("/licenses/entitlements/{id}/expire", id).with(csrf()))
                .andExpect(redirectedUrl("/licenses/entitlements"))
                .andExpect(flash().attribute("notice", "Expired 4 seats of VCS (order PO-9); they no longer count."));
        assertThat(jdbc.sql("select valid_until <= now() from license_entitlement where id = ?").param(id)
                .query(Boolean.class).single()).isTrue();
        assertThat(fixtures.audits("entitlement.expire")).isEqualTo(1);

        mvc.perform(post("/licenses/entitlements/{id}/expire", id).with(csrf()))
                .andExpect(flash().attribute("refusal", "Entitlement PO-9 has already ended; nothing was changed."));
        assertThat(fixtures.audits("entitlement.expire")).isEqualTo(1);
        mvc.perform(get("/licenses/entitlements")).andExpect(content().string(allOf(containsString("ended"),
                not(containsString("Expire 4 seats")))));
    }

    @Test
    void unknownAndMalformedIdsGetAPageThatSaysSo() throws Exception {
        mvc.perform(get("/licenses/entitlements/{id}", 998877)).andExpect(status().isNotFound())
                .andExpect(content().string(containsString("There is no entitlement with id 998877.")));
        mvc.perform(post("/licenses/entitlements/{id}/expire", 998877).with(csrf())).andExpect(status().isNotFound());
        mvc.perform(get("/licenses/entitlements/{id}", "PO-1")).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("“PO-1” is not a valid value for id.")));
    }

    private void expectErrors(MockHttpServletRequestBuilder request, String... messages) throws Exception {
        String page = mvc.perform(request.with(csrf())).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Please correct the fields marked below; nothing was saved.");
        for (String message : messages) {
            assertThat(page).contains(message);
        }
    }
}
