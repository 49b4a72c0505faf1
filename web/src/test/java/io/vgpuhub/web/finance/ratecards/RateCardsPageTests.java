package io.vgpuhub.web.finance.ratecards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import io.vgpuhub.metering.licensing.Edition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Finance's rate card pages: the prefilled form, a card saved and audited, every problem beside its field with nothing
 * written, the prices, the what-if preview, and deleting only a card that has not taken effect.
 */
@SpringBootTest(properties = "vgpuhub.test.database=finance-admin-pages")
@AutoConfigureMockMvc
@WithUserDetails("fiona")
class RateCardsPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    LocalDate today;
    LocalDate first;
    List<Long> enabled;

    @BeforeEach
    void noCardsToCome() {
        // Cards in force (the demo's, say) stay: only cards to come are this test's business.
        jdbc.sql("delete from rate_card where effective_from > current_date").update();
        today = LocalDate.now(ZoneOffset.UTC);
        first = today.plusMonths(2).withDayOfMonth(1);
        enabled = jdbc.sql("select id from offering where enabled order by id").query(Long.class).list();
    }

    @Test
    void theNewCardFormStartsFromThePricesInForceOnTheFirstOfNextMonth() throws Exception {
        long offering = enabled.get(0);
        String page = page(get("/finance/rate-cards/new"));
        assertThat(page).contains("New rate card", "value=\"" + today.plusMonths(1).withDayOfMonth(1) + "\"")
                .containsPattern("name=\"offeringPrices\\[" + offering + "\\]\" value=\"[0-9.]+\"")
                .contains("name=\"seatPrices[VWS]\"");
    }

    @Test
    void aCardIsSavedFromTheFormAndAudited() throws Exception {
        long audits = audits("ratecard.create");
        mvc.perform(form(first, " eur ", "2027 prices", "0.30", "0.05"))
                .andExpect(redirectedUrlPattern("/finance/rate-cards/*"))
                .andExpect(flash().attribute("notice", "Saved the card “2027 prices”; it takes effect on " + first + "."));
        assertThat(jdbc.sql("select currency from rate_card where effective_from = ?").param(first).query(String.class)
                .single()).isEqualTo("EUR");
        assertThat(audits("ratecard.create")).isEqualTo(audits + 1);

        long id = cardOn(first);
        assertThat(page(get("/finance/rate-cards"))).contains("2027 prices", "takes effect later");
        assertThat(page(get("/finance/rate-cards/{id}", id))).contains("Rate card 2027 prices", "EUR per hour", "0.3000",
                "by fiona", "Delete…");
    }

    @Test
    void everyProblemIsShownBesideItsFieldAndNothingIsWritten() throws Exception {
        long rows = rows();
        long audits = audits("ratecard.create");
        String page = mvc.perform(form(today, "XX", " ", "abc", "-1")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Please correct the fields marked below; nothing was saved.",
                "A new card takes effect after today (" + today + ", UTC), so it never reprices time already billed: "
                        + "choose " + today.plusDays(1) + " or later.",
                "“XX” is not an ISO 4217 currency code",
                "Give the card a name",
                "Enter the price as a number with a decimal point, such as 0.25.",
                "A price may not be negative.");

        String chinese = mvc.perform(form(first, "EUR", "x", "0.123456", "0").locale(Locale.SIMPLIFIED_CHINESE))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(chinese).contains("最多 4 位小数。");
        assertThat(rows()).isEqualTo(rows);
        assertThat(audits("ratecard.create")).isEqualTo(audits);
    }

    @Test
    void theRuleOfOneCurrencyAMonthIsExplained() throws Exception {
        mvc.perform(form(first, "USD", "Dollars", "1", "0")).andExpect(redirectedUrlPattern("/finance/rate-cards/*"));
        String page = mvc.perform(form(first.plusDays(9), "EUR", "Euros mid-month", "1", "0")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("The card before it is in USD. A card that changes the currency to EUR must take "
                + "effect on the 1st of a month (each month has one currency), such as " + first.plusMonths(1) + ".");
    }

    @Test
    void theWhatIfPreviewComparesPricesAndSaysItChangesNothing() throws Exception {
        mvc.perform(form(first, "USD", "Preview me", "2.5", "0.1")).andExpect(redirectedUrlPattern("/finance/rate-cards/*"));
        long id = cardOn(first);
        String page = page(get("/finance/rate-cards/{id}/preview", id));
        String lastMonth = today.minusMonths(1).toString().substring(0, 7);
        assertThat(page).contains("Preview of Preview me", "What if it had priced " + lastMonth + "?",
                "This is a what-if", "The month’s statements are not changed", "2.5");
    }

    @Test
    void onlyACardThatHasNotTakenEffectIsDeletedAndBothAreAudited() throws Exception {
        mvc.perform(form(first, "USD", "To delete", "1", "0")).andExpect(redirectedUrlPattern("/finance/rate-cards/*"));
        long future = cardOn(first);
        long inForce = jdbc.sql("insert into rate_card (effective_from, currency, name) values (?, 'USD', 'Old') "
                + "on conflict (effective_from) do update set name = rate_card.name returning id")
                .param(today.minusYears(5)).query(Long.class).single();
        long deletes = audits("ratecard.delete");

        mvc.perform(post("/finance/rate-cards/{id}/delete", inForce).with(csrf()))
                .andExpect(redirectedUrl("/finance/rate-cards/" + inForce))
                .andExpect(flash().attribute("refusal", org.hamcrest.Matchers.containsString(
                        "only a card that has not taken effect yet can be deleted. Nothing was changed.")));
        assertThat(page(get("/finance/rate-cards/{id}/preview", inForce))).isEmpty();
        mvc.perform(post("/finance/rate-cards/{id}/delete", future).with(csrf()))
                .andExpect(redirectedUrl("/finance/rate-cards"))
                .andExpect(flash().attribute("notice", "Deleted the card “To delete” that would have taken effect on "
                        + first + "."));
        assertThat(jdbc.sql("select count(*) from rate_card where id in (?, ?)").params(inForce, future)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(audits("ratecard.delete")).isEqualTo(deletes + 1);
    }

    @Test
    void unknownAndMalformedIdsGetAPageThatSaysSo() throws Exception {
        mvc.perform(get("/finance/rate-cards/{id}", 998877)).andExpect(status().isNotFound())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(org.hamcrest.Matchers.containsString("There is no rate card with id 998877.")));
        mvc.perform(post("/finance/rate-cards/{id}/delete", 998877).with(csrf())).andExpect(status().isNotFound());
        mvc.perform(get("/finance/rate-cards/{id}", "latest")).andExpect(status().isBadRequest());
    }

    /** The new-card form filled in: every offering on sale at {@code price}, every edition at {@code seatPrice}. */
    private MockHttpServletRequestBuilder form(LocalDate from, String currency, String name, String price,
            String seatPrice) {
        MockHttpServletRequestBuilder form = post("/finance/rate-cards").with(csrf())
                .param("effectiveFrom", from.toString()).param("currency", currency).param("name", name);
        enabled.forEach(id -> form.param("offeringPrices[" + id + "]", price));
        for (Edition edition : Edition.values()) {
            form.param("seatPrices[" + edition + "]", seatPrice);
        }
        return form;
    }

    private long cardOn(LocalDate day) {
        return jdbc.sql("select id from rate_card where effective_from = ?").param(day).query(Long.class).single();
    }

    private long rows() {
        return jdbc.sql("select (select count(*) from rate_card) + (select count(*) from rate_card_offering)")
                .query(Long.class).single();
    }

    private long audits(String action) {
        return jdbc.sql("select count(*) from audit_event where action = ?").param(action).query(Long.class).single();
    }

    private String page(MockHttpServletRequestBuilder request) throws Exception {
        var result = mvc.perform(request).andReturn().getResponse();
        return result.getStatus() == 200 ? result.getContentAsString() : "";
    }
}
