package io.vgpuhub.web.finance;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.MonthSummary;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.metering.chargeback.Subtotal;
import io.vgpuhub.metering.chargeback.TenantTotal;
import io.vgpuhub.web.i18n.Notices;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** Finance's months, newest first, and one month's summary of every tenant with the spend charts. */
@Controller
class FinanceMonthsController {

    private final Statements statements;
    private final Notices notices;
    private final JsonMapper json;
    private final Clock clock;

    FinanceMonthsController(Statements statements, Notices notices, JsonMapper json, Clock clock) {
        this.statements = statements;
        this.notices = notices;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/finance")
    String months(Model model) {
        model.addAttribute("months", statements.months());
        model.addAttribute("runningMonth", YearMonth.now(clock));
        return "finance/months";
    }

    @GetMapping("/finance/months/{month}")
    String month(@PathVariable YearMonth month, Model model) {
        UnknownFinanceItemException.requireBegun(month, clock, "finance.error.futureMonth");
        MonthSummary summary = statements.summary(month);
        SpendCharts charts = SpendCharts.of(summary, notices.text("finance.month.chart.byTenant"),
                notices.text("finance.month.chart.byOffering"), n -> notices.text("finance.month.chart.others", n));
        model.addAttribute("summary", summary);
        model.addAttribute("unpriced", summary.tenants().stream().anyMatch(TenantTotal::unpriced));
        model.addAttribute("chargesTotal", summary.byOffering().stream().map(Subtotal::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        model.addAttribute("chartJson", islandJson(json.writeValueAsString(charts)));
        return "finance/month";
    }

    /**
     * JSON placed inside a script element: a "<" in a name (a tenant called "</script>…") must not end the element, so
     * it is written as its JSON escape, which parses back to the same text.
     */
    static String islandJson(String json) {
        return json.replace("<", "\\u003c");
    }
}
