package io.vgpuhub.web.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The usage report for a period, on the page and as CSV, against figures computed by hand. */
@LicensesPageTest
@WithUserDetails("leo")
class UsageReportPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    LicenseFixtures fixtures;

    /**
     * February 2024 (29 days, 696 hours). vWS: A holds a seat the whole month (696 h), B from the 10th 00:00 to the
     * 12th 00:00 (48 h) overlapping A: peak 2, average (696 + 48) / 696 = 1.0689… = 1.07. Entitled 3 seats from
     * January, 5 more from the 20th: most 8, 8 at the end. A flagged slice runs on the 11th for a day: peak 1.
     * vPC: one lease from January 31st 12:00 to February 1st 12:00: 12 h inside, average 12 / 696 = 0.0172… = 0.02.
     */
    @BeforeEach
    void february() {
        fixtures = new LicenseFixtures(jdbc);
        fixtures.clear();
        long a = fixtures.slice("A40-2Q", "cad-a");
        long b = fixtures.slice("A40-2Q", "cad-b");
        long f = fixtures.slice("A40-2Q", "cad-f");
        long p = fixtures.slice("A40-2B", "desk-p");
        fixtures.lease(a, "VWS", true, Instant.parse("2024-01-15T00:00:00Z"), Instant.parse("2024-03-15T00:00:00Z"));
        fixtures.lease(b, "VWS", true, Instant.parse("2024-02-10T00:00:00Z"), Instant.parse("2024-02-12T00:00:00Z"));
        fixtures.lease(f, "VWS", false, Instant.parse("2024-02-11T00:00:00Z"), Instant.parse("2024-02-12T00:00:00Z"));
        fixtures.lease(p, "VPC", true, Instant.parse("2024-01-31T12:00:00Z"), Instant.parse("2024-02-01T12:00:00Z"));
        fixtures.entitlement("VWS", 3, Instant.parse("2024-01-01T00:00:00Z"), null, "PO-A");
        fixtures.entitlement("VWS", 5, Instant.parse("2024-02-20T00:00:00Z"), Instant.parse("2025-02-20T00:00:00Z"), "PO-B");
    }

    @Test
    void theCsvHasTheHandComputedFigures() throws Exception {
        var response = mvc.perform(get("/licenses/report.csv").param("from", "2024-02-01").param("to", "2024-02-29"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv;charset=UTF-8"))
                .andExpect(header().string("Content-Disposition",
                        "attachment; filename=\"license-usage-2024-02-01-to-2024-02-29.csv\""))
                .andReturn().getResponse();

        assertThat(response.getContentAsString(StandardCharsets.UTF_8).split("\r\n")).containsExactly(
                "edition,edition_name,period_start,period_end,peak_concurrent_seats,average_concurrent_seats,"
                        + "entitled_seats_max,entitled_seats_at_end,peak_unlicensed_slices",
                "VAPPS,NVIDIA Virtual Applications,2024-02-01T00:00:00Z,2024-03-01T00:00:00Z,0,0.00,0,0,0",
                "VPC,NVIDIA Virtual PC,2024-02-01T00:00:00Z,2024-03-01T00:00:00Z,1,0.02,0,0,0",
                "VWS,NVIDIA RTX Virtual Workstation,2024-02-01T00:00:00Z,2024-03-01T00:00:00Z,2,1.07,8,8,1",
                "VCS,NVIDIA Virtual Compute Server / AI Enterprise,2024-02-01T00:00:00Z,2024-03-01T00:00:00Z,0,0.00,0,0,0");
    }

    @Test
    void thePageShowsTheSameFiguresAndLinksToTheCsv() throws Exception {
        mvc.perform(get("/licenses/report").param("from", "2024-02-01").param("to", "2024-02-29"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("From 2024-02-01 to 2024-02-29, both included (UTC)"),
                        matchesPattern("(?s).*data-edition=\"VWS\".*?<td class=\"num\">2</td>\\s*<td class=\"num\">1.07</td>\\s*"
                                + "<td class=\"num\">8</td>\\s*<td class=\"num\">8</td>\\s*<td class=\"num\">1</td>.*"),
                        containsString("href=\"/licenses/report.csv?from=2024-02-01&amp;to=2024-02-29\""))));
    }

    @Test
    void thePeriodDefaultsToTheLastFullMonth() throws Exception {
        LocalDate thisMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        mvc.perform(get("/licenses/report")).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("value=\"" + thisMonth.minusMonths(1) + "\""),
                        containsString("value=\"" + thisMonth.minusDays(1) + "\""))));
        mvc.perform(get("/licenses/report.csv")).andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", containsString(
                        "license-usage-" + thisMonth.minusMonths(1) + "-to-" + thisMonth.minusDays(1) + ".csv")));
    }

    @Test
    void aPeriodEndingBeforeItBeginsIsExplained() throws Exception {
        mvc.perform(get("/licenses/report").param("from", "2024-03-01").param("to", "2024-02-01"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("The last day (2024-02-01) comes before the first day (2024-03-01).")));
        mvc.perform(get("/licenses/report.csv").param("from", "2024-03-01").param("to", "2024-02-01"))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/licenses/report").param("from", "1700-01-01").param("to", "2025-01-01"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("A report covers at most 10 years, from 1970 on.")));
        mvc.perform(get("/licenses/report.csv").param("from", "2000-01-01").param("to", "2024-12-31"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("at most 10 years")));
        mvc.perform(get("/licenses/report").param("from", "March")).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("“March” is not a valid value for from.")));
    }
}
