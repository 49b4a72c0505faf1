package io.vgpuhub.web.finance.close;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.YearMonth;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The close confirmation page and the close. Months closed here lie in 2001 and 2002 (none before them has charges);
 * months left open lie in 2010 and later, so an open month never holds back one that a test closes.
 */
@FinanceClosePageTest
@WithUserDetails("fiona")
class MonthClosePageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    CloseFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new CloseFixtures(jdbc);
    }

    @Test
    void theConfirmationPageShowsWhatWillBeFrozenAndWarnsOfUnpricedTime() throws Exception {
        YearMonth month = YearMonth.of(2011, 5);
        fixtures.rateCard(month, "2.0000");
        long priced = fixtures.tenant("Confirm priced");
        long unpriced = fixtures.tenant("Confirm unpriced");
        fixtures.released(priced, CloseFixtures.PRICED, month, 10);
        fixtures.released(unpriced, "A40-8Q", month, 3);

        mvc.perform(get("/finance/months/2011-05/close"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"frozen-tenants\"")))
                .andExpect(content().string(containsString("data-tenant=\"" + priced + "\"")))
                .andExpect(content().string(containsString("data-tenant=\"" + unpriced + "\"")))
                .andExpect(content().string(containsString("20.00")))
                .andExpect(content().string(containsString("id=\"unpriced\"")))
                .andExpect(content().string(containsString("Close 2011-05 for good")));
        assertThat(fixtures.closed(month)).isFalse();
    }

    @Test
    void closingFreezesTheMonthAuditsItAndSaysSo() throws Exception {
        YearMonth month = YearMonth.of(2002, 3);
        fixtures.rateCard(month, "1.5000");
        fixtures.released(fixtures.tenant("Closed page"), CloseFixtures.PRICED, month, 4);
        long audits = fixtures.audits("month.close");

        mvc.perform(post("/finance/months/2002-03/close").with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/finance/months/2002-03/close"))
                .andExpect(flash().attribute("notice", containsString("2002-03 is closed: 1 tenants frozen, charges 6.00 EUR")));

        assertThat(fixtures.closed(month)).isTrue();
        assertThat(fixtures.audits("month.close")).isEqualTo(audits + 1);
        assertThat(jdbc.sql("select actor, target from audit_event where action = 'month.close' order by id desc limit 1")
                .query().singleRow()).containsEntry("actor", "fiona").containsEntry("target", "2002-03");
        mvc.perform(get("/finance/months/2002-03/close"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"closed\"")))
                .andExpect(content().string(not(containsString("for good"))));

        // Closing it again is refused with the reason, and writes nothing more.
        mvc.perform(post("/finance/months/2002-03/close").with(csrf()))
                .andExpect(redirectedUrl("/finance/months/2002-03/close"))
                .andExpect(flash().attribute("refusal", containsString("was not closed")));
        assertThat(fixtures.audits("month.close")).isEqualTo(audits + 1);
    }

    @Test
    void aRunningMonthCannotBeClosedAndThePageSaysWhy() throws Exception {
        YearMonth now = YearMonth.now(java.time.ZoneOffset.UTC);

        mvc.perform(get("/finance/months/{m}/close", now.toString()))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-reason=\"NOT_ENDED\"")))
                .andExpect(content().string(not(containsString("for good"))));
        mvc.perform(post("/finance/months/{m}/close", now.toString()).with(csrf()))
                .andExpect(flash().attribute("refusal", containsString("was not closed")));
        assertThat(fixtures.closed(now)).isFalse();
    }

    @Test
    void anEarlierOpenMonthIsNamedWithALinkToCloseItFirst() throws Exception {
        YearMonth first = YearMonth.of(2010, 1);
        long tenant = fixtures.tenant("Order page");
        fixtures.released(tenant, CloseFixtures.PRICED, first, 2);
        fixtures.released(tenant, CloseFixtures.PRICED, first.plusMonths(1), 2);

        mvc.perform(get("/finance/months/2010-02/close"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-reason=\"EARLIER_MONTH_OPEN\"")))
                .andExpect(content().string(containsString("href=\"/finance/months/2010-01/close\"")));
        mvc.perform(post("/finance/months/2010-02/close").with(csrf()))
                .andExpect(flash().attribute("refusal", containsString("was not closed")));
        assertThat(fixtures.closed(first.plusMonths(1))).isFalse();
    }

    @Test
    void aMalformedMonthIsABadRequestPage() throws Exception {
        mvc.perform(get("/finance/months/2012-13/close")).andExpect(status().isBadRequest());
        mvc.perform(post("/finance/months/march/close").with(csrf())).andExpect(status().isBadRequest());
    }
}
