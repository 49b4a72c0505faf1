package io.vgpuhub.web.licenses;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;

import io.vgpuhub.metering.licensing.report.LicenseReports;
import io.vgpuhub.metering.licensing.report.UsageReport;
import io.vgpuhub.web.i18n.UtcFormat;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The license usage report for a period of whole UTC days, first and last day included (by default the last full
 * month): on the page, and as CSV for the true-up.
 */
@Controller
class UsageReportController {

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final LicenseReports reports;
    private final Clock clock;

    UsageReportController(LicenseReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @GetMapping("/licenses/report")
    ModelAndView report(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        Period period = Period.of(from, to, UtcFormat.day(clock.instant()));
        ModelAndView page = new ModelAndView("licenses/report");
        page.addObject("from", period.first());
        page.addObject("to", period.last());
        if (period.invalid()) {
            page.setStatus(HttpStatus.BAD_REQUEST);
            page.addObject("periodError", true);
            return page;
        }
        if (period.tooLong()) {
            page.setStatus(HttpStatus.BAD_REQUEST);
            page.addObject("periodTooLong", Period.MAX_YEARS);
            return page;
        }
        page.addObject("report", reports.usageReport(UtcFormat.startOf(period.first()),
                UtcFormat.startOf(period.last().plusDays(1))));
        return page;
    }

    @GetMapping("/licenses/report.csv")
    ResponseEntity<String> csv(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        Period period = Period.of(from, to, UtcFormat.day(clock.instant()));
        if (period.invalid()) {
            return ResponseEntity.badRequest().contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                    .body("The period's last day " + period.last() + " comes before its first day " + period.first() + ".\n");
        }
        if (period.tooLong()) {
            return ResponseEntity.badRequest().contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                    .body("A report covers at most " + Period.MAX_YEARS + " years, from 1970 on.\n");
        }
        UsageReport report = reports.usageReport(UtcFormat.startOf(period.first()),
                UtcFormat.startOf(period.last().plusDays(1)));
        String filename = "license-usage-" + period.first() + "-to-" + period.last() + ".csv";
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
                .body(report.csv());
    }

    /** Days asked for, or the last full month before today's. */
    record Period(LocalDate first, LocalDate last) {

        static Period of(LocalDate from, LocalDate to, LocalDate today) {
            LocalDate monthStart = today.withDayOfMonth(1);
            LocalDate first = from != null ? from : to != null ? to.withDayOfMonth(1) : monthStart.minusMonths(1);
            LocalDate last = to != null ? to : from != null ? from.withDayOfMonth(from.lengthOfMonth()) : monthStart.minusDays(1);
            return new Period(first, last);
        }

        /** Longer periods say nothing a true-up needs, and far-off years leave what PostgreSQL and Java can count. */
        static final int MAX_YEARS = 10;

        boolean invalid() {
            return last.isBefore(first);
        }

        boolean tooLong() {
            return first.getYear() < 1970 || last.isAfter(first.plusYears(MAX_YEARS));
        }
    }
}
