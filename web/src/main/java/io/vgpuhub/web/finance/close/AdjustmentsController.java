package io.vgpuhub.web.finance.close;

import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.stream.Collectors;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.close.Adjustments;
import io.vgpuhub.metering.chargeback.close.CloseRefusal;
import io.vgpuhub.metering.chargeback.close.InvalidAdjustmentException;
import io.vgpuhub.metering.chargeback.close.MonthClose;
import io.vgpuhub.metering.chargeback.close.MonthClosedException;
import io.vgpuhub.metering.chargeback.close.TenantCostCentres;
import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.security.PortalUser;
import jakarta.validation.Valid;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A month's adjustments: the list, and a form to book one while the month is open or running. */
@Controller
class AdjustmentsController {

    private final Adjustments adjustments;
    private final MonthClose close;
    private final FinanceCloseAdmin admin;
    private final Notices notices;
    private final Clock clock;

    AdjustmentsController(Adjustments adjustments, MonthClose close, FinanceCloseAdmin admin, Notices notices,
            Clock clock) {
        this.adjustments = adjustments;
        this.close = close;
        this.admin = admin;
        this.notices = notices;
        this.clock = clock;
    }

    @GetMapping("/finance/months/{month}/adjustments")
    String list(@PathVariable YearMonth month, Model model) {
        model.addAttribute("adjustmentForm", new AdjustmentForm());
        return page(month, model);
    }

    @PostMapping("/finance/months/{month}/adjustments")
    String book(@AuthenticationPrincipal PortalUser user, @PathVariable YearMonth month,
            @Valid @ModelAttribute("adjustmentForm") AdjustmentForm form, BindingResult errors, Model model,
            RedirectAttributes redirect) {
        if (errors.hasErrors()) {
            return page(month, model);
        }
        try {
            Adjustment booked = admin.book(user, month, form);
            notices.done(redirect, "financeclose.adjustments.booked", booked.amount().toPlainString(),
                    booked.costCentre().path(), month.toString());
        }
        catch (InvalidAdjustmentException invalid) {
            for (InvalidAdjustmentException.Problem problem : invalid.problems()) {
                String code = "financeclose.invalid." + problem.field() + "." + problem.code();
                if (problem.field().equals("month")) {
                    errors.reject(code, problem.message());
                }
                else {
                    errors.rejectValue(field(problem.field()), code, problem.message());
                }
            }
            return page(month, model);
        }
        catch (MonthClosedException closed) {
            notices.refused(redirect, "financeclose.adjustments.monthClosed", month.toString());
        }
        return "redirect:/finance/months/{month}/adjustments";
    }

    /** The form's field for a problem the service found. */
    private static String field(String problemField) {
        return switch (problemField) {
            case "tenant" -> "tenantId";
            case "costCentre" -> "costCentreId";
            default -> problemField;
        };
    }

    private String page(YearMonth month, Model model) {
        boolean closed = close.check(month).refuses(CloseRefusal.Reason.ALREADY_CLOSED);
        boolean future = month.isAfter(BillingMonths.of(clock.instant()));
        model.addAttribute("month", month);
        model.addAttribute("closed", closed);
        model.addAttribute("future", future);
        model.addAttribute("bookable", !closed && !future);
        model.addAttribute("adjustments", adjustments.inMonth(month));
        List<TenantCostCentres> choices = adjustments.choices();
        model.addAttribute("choices", choices);
        model.addAttribute("tenantNames", choices.stream()
                .collect(Collectors.toMap(choice -> choice.tenant().id(), choice -> choice.tenant().name())));
        return "finance/adjustments";
    }
}
