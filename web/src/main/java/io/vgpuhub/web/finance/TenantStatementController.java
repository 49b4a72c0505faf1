package io.vgpuhub.web.finance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.metering.usage.HourlyUsage;
import io.vgpuhub.metering.usage.UsageQueries;
import io.vgpuhub.web.i18n.UtcFormat;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** One tenant's statement of a month for finance, and the drill-down to one of its slices. */
@Controller
class TenantStatementController {

    private final Statements statements;
    private final FinanceLookups lookups;
    private final UsageQueries usage;
    private final Clock clock;

    TenantStatementController(Statements statements, FinanceLookups lookups, UsageQueries usage, Clock clock) {
        this.statements = statements;
        this.lookups = lookups;
        this.usage = usage;
        this.clock = clock;
    }

    @GetMapping("/finance/months/{month}/tenants/{tenantId}")
    String statement(@PathVariable YearMonth month, @PathVariable long tenantId, Model model) {
        UnknownFinanceItemException.requireBegun(month, clock, "finance.error.futureMonth");
        requireTenant(tenantId);
        model.addAttribute("view", StatementView.of(statements.statement(month, tenantId)));
        return "finance/statement";
    }

    @GetMapping("/finance/months/{month}/tenants/{tenantId}/slices/{sliceId}")
    String slice(@PathVariable YearMonth month, @PathVariable long tenantId, @PathVariable long sliceId, Model model) {
        UnknownFinanceItemException.requireBegun(month, clock, "finance.error.futureMonth");
        String tenant = requireTenant(tenantId);
        FinanceLookups.SliceInfo slice = lookups.slice(tenantId, sliceId).orElseThrow(
                () -> new UnknownFinanceItemException("finance.error.noSlice", String.valueOf(sliceId), tenant));
        Statement statement = statements.statement(month, tenantId);
        Instant until = statement.asOf() != null && statement.asOf().isBefore(BillingMonths.end(month))
                ? statement.asOf() : BillingMonths.end(month);
        model.addAttribute("statement", statement);
        model.addAttribute("slice", slice);
        model.addAttribute("lines", statement.lines().stream().filter(line -> line.sliceId() == sliceId).toList());
        model.addAttribute("showback", statement.showback().stream().filter(s -> s.sliceId() == sliceId).findFirst()
                .orElse(null));
        model.addAttribute("days", days(usage.hourly(sliceId, BillingMonths.start(month), until)));
        return "finance/slice";
    }

    private String requireTenant(long tenantId) {
        return lookups.tenantName(tenantId).orElseThrow(
                () -> new UnknownFinanceItemException("finance.error.noTenant", String.valueOf(tenantId)));
    }

    /** One UTC day of a slice's hourly usage: allocated hours, samples, mean and peak utilization, peak framebuffer. */
    record DayUsage(LocalDate day, BigDecimal hours, long samples, BigDecimal meanUtilization, Integer peakUtilization,
            Integer peakMemoryMib) {
    }

    /** The month's hours summed per day, so a month is some thirty rows rather than seven hundred. */
    static List<DayUsage> days(List<HourlyUsage> hours) {
        Map<LocalDate, List<HourlyUsage>> byDay = new TreeMap<>();
        hours.forEach(hour -> byDay.computeIfAbsent(UtcFormat.day(hour.hour()), day -> new ArrayList<>()).add(hour));
        List<DayUsage> days = new ArrayList<>();
        byDay.forEach((day, rows) -> {
            long seconds = 0;
            long samples = 0;
            long utilizationSum = 0;
            Integer peak = null;
            Integer memory = null;
            for (HourlyUsage row : rows) {
                seconds += row.secondsAllocated();
                samples += row.sampleCount();
                if (row.sampleCount() > 0) {
                    // The hour's mean is its utilization sum over its samples; the sum is a whole number.
                    utilizationSum += Math.round(row.meanUtilization() * row.sampleCount());
                    peak = peak == null ? row.peakUtilization() : Math.max(peak, row.peakUtilization());
                    memory = memory == null ? row.peakMemoryMib() : Math.max(memory, row.peakMemoryMib());
                }
            }
            days.add(new DayUsage(day, BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_UP),
                    samples, samples == 0 ? null
                            : BigDecimal.valueOf(utilizationSum).divide(BigDecimal.valueOf(samples), 2, RoundingMode.HALF_UP),
                    peak, memory));
        });
        return days;
    }
}
