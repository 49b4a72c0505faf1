package io.vgpuhub.web.finance;

import java.time.YearMonth;

import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.i18n.UtcFormat;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * For every finance page (sub-packages included): the UTC formatter templates use, and a malformed month or id in the
 * URL, an unknown tenant or a slice not of the tenant answered with an HTML page that says what was wrong (never a
 * 500, nothing changed).
 */
@ControllerAdvice(basePackageClasses = FinancePagesAdvice.class)
class FinancePagesAdvice {

    static final String VIEW = "finance/error";

    /** Templates call UtcFormat's static methods through this instance ({@code ${utc.minute(...)}}). */
    private static final UtcFormat UTC = new UtcFormat();

    private final Notices notices;

    FinancePagesAdvice(Notices notices) {
        this.notices = notices;
    }

    @ModelAttribute("utc")
    UtcFormat utc() {
        return UTC;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView malformed(MethodArgumentTypeMismatchException e) {
        return Notices.refusalPage(VIEW, HttpStatus.BAD_REQUEST, malformedText(notices, e));
    }

    @ExceptionHandler(UnknownFinanceItemException.class)
    ModelAndView unknown(UnknownFinanceItemException e) {
        return Notices.refusalPage(VIEW, HttpStatus.NOT_FOUND, notices.text(e.messageKey(), e.arguments()));
    }

    /** The sentence for a value in the URL that is not what the page expects: a month, or a number. */
    private static String malformedText(Notices notices, MethodArgumentTypeMismatchException e) {
        if (YearMonth.class.equals(e.getRequiredType())) {
            return notices.text("finance.error.month", String.valueOf(e.getValue()));
        }
        return notices.text("finance.error.malformed", String.valueOf(e.getValue()), e.getName());
    }
}
