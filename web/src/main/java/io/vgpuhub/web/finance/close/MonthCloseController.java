package io.vgpuhub.web.finance.close;

import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.MonthSummary;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.metering.chargeback.TenantTotal;
import io.vgpuhub.metering.chargeback.close.CloseCheck;
import io.vgpuhub.metering.chargeback.close.CloseRefusal;
import io.vgpuhub.metering.chargeback.close.ClosedMonth;
import io.vgpuhub.metering.chargeback.close.MonthClose;
import io.vgpuhub.metering.chargeback.close.MonthCloseRefusedException;
import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Closing a month: a confirmation page that shows what will be frozen (or why the month cannot close), and the
 * close itself.
 */
@Controller
class MonthCloseController {

    private final MonthClose close;
    private final Statements statements;
    private final FinanceCloseAdmin admin;
    private final Notices notices;

    MonthCloseController(MonthClose close, Statements statements, FinanceCloseAdmin admin, Notices notices) {
        this.close = close;
        this.statements = statements;
        this.admin = admin;
        this.notices = notices;
    }

    @GetMapping("/finance/months/{month}/close")
    String confirm(@PathVariable YearMonth month, Model model) {
        CloseCheck check = close.check(month);
        model.addAttribute("month", month);
        model.addAttribute("check", check);
        model.addAttribute("closed", check.refuses(CloseRefusal.Reason.ALREADY_CLOSED));
        MonthSummary summary = statements.summary(month);
        model.addAttribute("summary", summary);
        model.addAttribute("unpriced", summary.tenants().stream().anyMatch(TenantTotal::unpriced));
        return "finance/close";
    }

    @PostMapping("/finance/months/{month}/close")
    String close(@AuthenticationPrincipal PortalUser user, @PathVariable YearMonth month, RedirectAttributes redirect) {
        try {
            ClosedMonth closed = admin.close(user, month);
            notices.done(redirect, "financeclose.closed", month.toString(), closed.tenants(),
                    closed.charges().toPlainString(), closed.currency() == null ? "" : closed.currency());
        }
        catch (MonthCloseRefusedException refused) {
            notices.refused(redirect, "financeclose.refused", month.toString());
        }
        return "redirect:/finance/months/{month}/close";
    }
}
