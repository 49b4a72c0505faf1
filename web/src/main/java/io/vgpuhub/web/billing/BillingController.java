package io.vgpuhub.web.billing;

import java.time.Clock;
import java.time.YearMonth;
import java.util.List;

import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.web.finance.StatementView;
import io.vgpuhub.web.finance.UnknownFinanceItemException;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * A tenant member's statements: the running month so far, the past months with their totals, and one month's statement.
 * The tenant is the logged-in user's, always; these URLs have no place to name another.
 */
@Controller
class BillingController {

    private final Statements statements;
    private final Clock clock;

    BillingController(Statements statements, Clock clock) {
        this.statements = statements;
        this.clock = clock;
    }

    /** A past month in the tenant's list: where the month stands and what the tenant owes for it. */
    record PastMonth(YearMonth month, Statement statement) {
    }

    @GetMapping("/billing")
    String index(@AuthenticationPrincipal PortalUser user, Model model) {
        long tenantId = tenantOf(user);
        YearMonth running = YearMonth.now(clock);
        List<PastMonth> past = statements.monthSpan().stream().filter(month -> month.isBefore(running))
                .map(month -> new PastMonth(month, statements.statement(month, tenantId)))
                .filter(month -> !month.statement().lines().isEmpty() || !month.statement().adjustments().isEmpty())
                .toList();
        model.addAttribute("view", StatementView.of(statements.statement(running, tenantId)));
        model.addAttribute("past", past);
        return "billing/index";
    }

    @GetMapping("/billing/{month}")
    String month(@AuthenticationPrincipal PortalUser user, @PathVariable YearMonth month, Model model) {
        long tenantId = tenantOf(user);
        UnknownFinanceItemException.requireBegun(month, clock, "billing.error.futureMonth");
        model.addAttribute("view", StatementView.of(statements.statement(month, tenantId)));
        return "billing/month";
    }

    private static long tenantOf(PortalUser user) {
        if (user.tenantId() == null) {
            throw new AccessDeniedException("not a member of a tenant");
        }
        return user.tenantId();
    }
}
