package io.vgpuhub.web.licenses;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import io.vgpuhub.metering.licensing.entitlement.EntitlementView;
import io.vgpuhub.metering.licensing.report.LicenseReports;
import io.vgpuhub.web.i18n.UtcFormat;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The license overview (seats now, seat use over 90 days, expiring entitlements, mismatches) and the seat holders. */
@Controller
class LicensesController {

    static final int CHART_DAYS = 90;
    static final int LONGEST_WINDOW = LicenseReports.EXPIRY_WINDOWS.get(LicenseReports.EXPIRY_WINDOWS.size() - 1);

    private final LicenseReports reports;
    private final Clock clock;

    LicensesController(LicenseReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @GetMapping("/licenses")
    String overview(Model model) {
        Instant now = clock.instant();
        LocalDate today = UtcFormat.day(now);
        model.addAttribute("seats", reports.seatsNow());
        model.addAttribute("warningPercent", reports.settings().exhaustionWarningPercent());
        model.addAttribute("chart", SeatChart.of(reports.concurrentSeatUse(today.minusDays(CHART_DAYS - 1), today)));
        model.addAttribute("expiring", reports.expiring(LONGEST_WINDOW)
                .stream().map(e -> Expiring.of(e, now)).toList());
        model.addAttribute("mismatches", reports.mismatches());
        model.addAttribute("mismatchMinutes", reports.settings().mismatchAfter().toMinutes());
        return "licenses/overview";
    }

    @GetMapping("/licenses/holders")
    String holders(Model model) {
        model.addAttribute("holders", reports.holders());
        return "licenses/holders";
    }

    /** An entitlement ending soon: within which window (30, 60 or 90 days) and in how many whole days. */
    record Expiring(EntitlementView entitlement, int window, long daysLeft) {

        static Expiring of(EntitlementView entitlement, Instant now) {
            long days = Duration.between(now, entitlement.validUntil()).toDays();
            int window = LicenseReports.EXPIRY_WINDOWS.stream()
                    .filter(w -> !entitlement.validUntil().isAfter(now.plus(Duration.ofDays(w)))).findFirst()
                    .orElse(LONGEST_WINDOW);
            return new Expiring(entitlement, window, days);
        }
    }
}
