package io.vgpuhub.web.licenses;

import io.vgpuhub.metering.licensing.entitlement.EntitlementNotFoundException;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
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

    private static final UtcFormat UTC = new UtcFormat();

    private final MessageSource messages;

    LicensePagesAdvice(MessageSource messages) {
        this.messages = messages;
    }

    @ModelAttribute("utc")
    UtcFormat utc() {
        return UTC;
    }

    @ExceptionHandler(EntitlementNotFoundException.class)
    ModelAndView unknown(EntitlementNotFoundException e) {
        return page(HttpStatus.NOT_FOUND, text("licenses.error.noEntitlement", String.valueOf(e.id())));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView malformed(MethodArgumentTypeMismatchException e) {
        return page(HttpStatus.BAD_REQUEST, text("licenses.error.malformed", String.valueOf(e.getValue()), e.getName()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ModelAndView missing(MissingServletRequestParameterException e) {
        return page(HttpStatus.BAD_REQUEST, text("licenses.error.missing", e.getParameterName()));
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }

    private static ModelAndView page(HttpStatus status, String message) {
        ModelAndView page = new ModelAndView("licenses/error");
        page.setStatus(status);
        page.addObject("message", message);
        page.addObject("status", status.value());
        page.addObject("utc", UTC);
        return page;
    }
}
