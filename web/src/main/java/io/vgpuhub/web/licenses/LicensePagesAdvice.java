package io.vgpuhub.web.licenses;

import io.vgpuhub.metering.licensing.entitlement.EntitlementNotFoundException;
import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.i18n.UtcFormat;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * For every license page: the UTC formatter templates use, and unknown ids or malformed values answered with an HTML
 * page that says what was wrong (never a 500, nothing changed).
 */
@ControllerAdvice(basePackageClasses = LicensePagesAdvice.class)
class LicensePagesAdvice {

    private static final String VIEW = "licenses/error";

    /** Templates call UtcFormat's static methods through this instance ({@code ${utc.instant(...)}}). */
    private static final UtcFormat UTC = new UtcFormat();

    private final Notices notices;

    LicensePagesAdvice(Notices notices) {
        this.notices = notices;
    }

    @ModelAttribute("utc")
    UtcFormat utc() {
        return UTC;
    }

    @ExceptionHandler(EntitlementNotFoundException.class)
    ModelAndView unknown(EntitlementNotFoundException e) {
        return Notices.refusalPage(VIEW, HttpStatus.NOT_FOUND,
                notices.text("licenses.error.noEntitlement", String.valueOf(e.id())));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView malformed(MethodArgumentTypeMismatchException e) {
        return Notices.refusalPage(VIEW, HttpStatus.BAD_REQUEST,
                notices.text("licenses.error.malformed", String.valueOf(e.getValue()), e.getName()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ModelAndView missing(MissingServletRequestParameterException e) {
        return Notices.refusalPage(VIEW, HttpStatus.BAD_REQUEST,
                notices.text("licenses.error.missing", e.getParameterName()));
    }
}
