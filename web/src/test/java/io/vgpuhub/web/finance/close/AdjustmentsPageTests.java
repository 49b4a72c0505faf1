package io.vgpuhub.web.finance.close;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.YearMonth;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** Booking adjustments from the page: booked and audited, or refused on the form with nothing written. */
@FinanceClosePageTest
@WithUserDetails("fiona")
class AdjustmentsPageTests {

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
    void anAdjustmentIsBookedToACostCentreWithItsReasonAndAudited() throws Exception {
        YearMonth month = YearMonth.of(2013, 4);
        long tenant = fixtures.tenant("Adjusted page");
        long sub = fixtures.subCostCentre(tenant, "LAB");
        long audits = fixtures.audits("adjustment.book");

        mvc.perform(post("/finance/months/2013-04/adjustments").with(csrf()).param("tenantId", String.valueOf(tenant))
                        .param("costCentreId", String.valueOf(sub)).param("amount", "-20.004")
                        .param("reason", "Credit for the outage on the 3rd").param("correctsMonth", ""))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/finance/months/2013-04/adjustments"))
                .andExpect(flash().attribute("notice", containsString("TENANT-" + tenant + "/LAB")));

        assertThat(fixtures.adjustments(month)).isEqualTo(1);
        assertThat(fixtures.audits("adjustment.book")).isEqualTo(audits + 1);
        mvc.perform(get("/finance/months/2013-04/adjustments"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Credit for the outage on the 3rd")))
                .andExpect(content().string(containsString("TENANT-" + tenant + "/LAB")))
                .andExpect(content().string(containsString("id=\"adjustment-form\"")));
    }

    @Test
    void aBadAdjustmentIsShownOnTheFormAndNothingIsWritten() throws Exception {
        YearMonth month = YearMonth.of(2013, 6);
        long tenant = fixtures.tenant("Refused page");
        long othersCostCentre = fixtures.subCostCentre(fixtures.tenant("Other page"), "THEIRS");
        long audits = fixtures.audits("adjustment.book");

        mvc.perform(post("/finance/months/2013-06/adjustments").with(csrf()).param("tenantId", String.valueOf(tenant))
                        .param("amount", "ten").param("reason", "x").param("correctsMonth", "2013-13"))
                .andExpect(status().isOk())
                .andExpect(model().attributeHasFieldErrors("adjustmentForm", "amount", "reason", "correctsMonth"))
                .andExpect(content().string(containsString("nothing was booked")));
        mvc.perform(post("/finance/months/2013-06/adjustments").with(csrf()).param("tenantId", String.valueOf(tenant))
                        .param("costCentreId", String.valueOf(othersCostCentre)).param("amount", "0")
                        .param("reason", "Wrong cost centre"))
                .andExpect(status().isOk())
                .andExpect(model().attributeHasFieldErrors("adjustmentForm", "costCentreId", "amount"))
                .andExpect(content().string(containsString("belongs to another tenant")));

        assertThat(fixtures.adjustments(month)).isZero();
        assertThat(fixtures.audits("adjustment.book")).isEqualTo(audits);
    }

    @Test
    void aClosedMonthShowsNoFormAndRefusesABooking() throws Exception {
        YearMonth month = YearMonth.of(2001, 8);
        long tenant = fixtures.tenant("Closed adjustments");
        mvc.perform(post("/finance/months/2001-08/close").with(csrf())).andExpect(status().is3xxRedirection());
        assertThat(fixtures.closed(month)).isTrue();

        mvc.perform(get("/finance/months/2001-08/adjustments"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"month-closed\"")))
                .andExpect(content().string(not(containsString("id=\"adjustment-form\""))));
        mvc.perform(post("/finance/months/2001-08/adjustments").with(csrf()).param("tenantId", String.valueOf(tenant))
                        .param("amount", "5").param("reason", "Too late"))
                .andExpect(redirectedUrl("/finance/months/2001-08/adjustments"))
                .andExpect(flash().attribute("refusal", containsString("nothing was booked")));
        assertThat(fixtures.adjustments(month)).isZero();
    }
}
