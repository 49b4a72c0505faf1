package io.vgpuhub.web.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The overview: seats now with the exhaustion warning, the seat chart, expiring entitlements, mismatches; the holders. */
@LicensesPageTest
@WithUserDetails("leo")
class OverviewPageTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    LicenseFixtures fixtures;
    Instant now;

    @BeforeEach
    void noLeases() {
        fixtures = new LicenseFixtures(jdbc);
        fixtures.clear();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void seatsNowShowEntitledUsedFreeAndWarnCloseToExhaustion() throws Exception {
        fixtures.entitlement("VWS", 2, now.minus(Duration.ofDays(40)), null, "PO-WS");
        fixtures.entitlement("VCS", 8, now.minus(Duration.ofDays(40)), null, "PO-CS");
        fixtures.lease(fixtures.slice("A40-2Q", "ws-1"), "VWS", true, now.minus(Duration.ofHours(2)), null);
        fixtures.lease(fixtures.slice("A40-2Q", "ws-2"), "VWS", false, now.minus(Duration.ofHours(1)), null);
        long gpu = fixtures.gpu("cs-host");
        fixtures.lease(fixtures.slice("A40-8C", "cs-1"), "VCS", "gpu:" + gpu, true, now.minus(Duration.ofHours(3)), null);
        fixtures.lease(fixtures.slice("A40-8C", "cs-2"), "VCS", "gpu:" + gpu, true, now.minus(Duration.ofHours(1)), null);

        mvc.perform(get("/licenses")).andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        matchesPattern("(?s).*data-edition=\"VWS\" class=\"close\">.*?Close to exhaustion: 50% in use.*?"
                                + "<td class=\"num entitled\">2</td>\\s*<td class=\"num used\">1</td>\\s*"
                                + "<td class=\"num free\">1</td>\\s*<td class=\"num flagged over\">1</td>.*"),
                        matchesPattern("(?s).*data-edition=\"VCS\">.*?one seat per physical GPU.*?"
                                + "<td class=\"num entitled\">8</td>\\s*<td class=\"num used\">1</td>\\s*"
                                + "<td class=\"num free\">7</td>.*"))))
                .andExpect(content().string(not(matchesPattern("(?s).*data-edition=\"VCS\" class=\"close\".*"))));
    }

    @Test
    void theChartDrawsEachEditionsDailyPeakAgainstItsEntitledLine() throws Exception {
        fixtures.entitlement("VWS", 4, now.minus(Duration.ofDays(200)), null, "PO-CHART");
        fixtures.lease(fixtures.slice("A40-2Q", "chart-1"), "VWS", true, now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(9)));

        String page = mvc.perform(get("/licenses")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(page).contains("<svg", "Day (UTC)", "Seats", "polyline class=\"peak\"", "polyline class=\"entitled\"",
                "NVIDIA RTX Virtual Workstation: peak seats in use (solid, highest 1) against seats entitled (dashed, highest 4)");
        assertThat(page).doesNotContain("NVIDIA Virtual PC: peak");
        // 90 days, one point each, on both lines of the one edition shown.
        String peak = page.replaceAll("(?s).*polyline class=\"peak\"[^>]*points=\"([^\"]*)\".*", "$1");
        assertThat(peak.split(" ")).hasSize(90);
    }

    @Test
    void anEmptyChartSaysSo() throws Exception {
        mvc.perform(get("/licenses")).andExpect(content().string(allOf(
                containsString("No seats were used or entitled in the last 90 days."), not(containsString("<polyline")))));
    }

    @Test
    void entitlementsEndingSoonAreGroupedIntoThirtySixtyAndNinetyDays() throws Exception {
        fixtures.entitlement("VWS", 1, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(12)).plusSeconds(60), "PO-SOON");
        fixtures.entitlement("VPC", 2, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(50)).plusSeconds(60), "PO-LATER");
        fixtures.entitlement("VCS", 3, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(75)).plusSeconds(60), "PO-LAST");
        fixtures.entitlement("VCS", 4, now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(120)), "PO-FAR");

        mvc.perform(get("/licenses")).andExpect(content().string(allOf(
                matchesPattern("(?s).*data-window=\"30\">.*?PO-SOON.*?in 12 days.*"),
                matchesPattern("(?s).*data-window=\"60\">.*?PO-LATER.*?in 50 days.*"),
                matchesPattern("(?s).*data-window=\"90\">.*?PO-LAST.*?in 75 days.*"),
                not(containsString("PO-FAR")))));
    }

    @Test
    void mismatchesListSeatHoldersWhoseGuestIsNotLicensed() throws Exception {
        long slice = fixtures.slice("A40-2Q", "guest-off");
        fixtures.lease(slice, "VWS", true, now.minus(Duration.ofHours(1)), null);
        fixtures.sample(slice, now.minus(Duration.ofMinutes(40)), "LICENSED");
        fixtures.sample(slice, now.minus(Duration.ofMinutes(2)), "UNLICENSED_RESTRICTED");
        long fine = fixtures.slice("A40-2Q", "guest-on");
        fixtures.lease(fine, "VWS", true, now.minus(Duration.ofHours(1)), null);
        fixtures.sample(fine, now.minus(Duration.ofMinutes(1)), "LICENSED");
        UUID uuid = fixtures.uuid(slice);

        mvc.perform(get("/licenses")).andExpect(content().string(allOf(
                containsString("for more than 10 minutes"),
                matchesPattern("(?s).*<code>" + uuid + "</code>.*?guest-off.*?UNLICENSED_RESTRICTED.*"),
                not(matchesPattern("(?s).*id=\"mismatches\".*guest-on.*")))));
    }

    @Test
    void holdersShowEachRunningLeaseFlaggedOnesFirst() throws Exception {
        long held = fixtures.slice("A40-2Q", "holder-held");
        long flagged = fixtures.slice("A40-2Q", "holder-flagged");
        long gone = fixtures.slice("A40-2Q", "holder-gone");
        fixtures.lease(held, "VWS", true, now.minus(Duration.ofHours(1)), null);
        fixtures.lease(flagged, "VWS", false, now.minus(Duration.ofMinutes(5)), null);
        fixtures.lease(gone, "VWS", true, now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(2)));

        mvc.perform(get("/licenses/holders")).andExpect(status().isOk()).andExpect(content().string(allOf(
                matchesPattern("(?s).*holder-flagged.*holder-held.*"),
                matchesPattern("(?s).*data-slice=\"" + fixtures.uuid(flagged) + "\" class=\"flagged\">.*?unlicensed \\(flagged\\).*"),
                matchesPattern("(?s).*data-slice=\"" + fixtures.uuid(held) + "\".*?own seat.*?Acme Research.*?A40-2Q.*"),
                not(containsString("holder-gone")))));
    }

    @Test
    void theOverviewSpeaksChinese() throws Exception {
        mvc.perform(get("/licenses").locale(Locale.SIMPLIFIED_CHINESE)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("当前席位"), containsString("每日峰值"))));
    }
}
