package io.vgpuhub.web.billing;

import java.time.YearMonth;

import io.vgpuhub.web.finance.UnknownFinanceItemException;
import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.i18n.UtcFormat;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/** For the tenant's billing pages: UTC formatting, and a malformed or future month answered with a page, not a 500. */
@ControllerAdvice(basePackageClasses = BillingPagesAdvice.class)
class BillingPagesAdvice {

    private static final String VIEW = "billing/error";
    private static final UtcFormat UTC = new UtcFormat();

    private final Notices notices;

    BillingPagesAdvice(Notices notices) {
        this.notices = notices;
    }

    @ModelAttribute("utc")
    UtcFormat utc() {
        return UTC;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView malformed(MethodArgumentTypeMismatchException e) {
        String text = YearMonth.class.equals(e.getRequiredType())
                ? notices.text("billing.error.month", String.valueOf(e.getValue()))
                : notices.text("billing.error.malformed", String.valueOf(e.getValue()), e.getName());
        return Notices.refusalPage(VIEW, HttpStatus.BAD_REQUEST, text);
    }

    @ExceptionHandler(UnknownFinanceItemException.class)
    ModelAndView unknown(UnknownFinanceItemException e) {
        return Notices.refusalPage(VIEW, HttpStatus.NOT_FOUND, notices.text(e.messageKey(), e.arguments()));
    }
}
