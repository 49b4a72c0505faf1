package io.vgpuhub.web.operator;

import io.vgpuhub.web.i18n.Notices;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/** Unknown ids and malformed addresses on operator pages get an HTML page that says what was wrong, never a 500. */
@ControllerAdvice(basePackageClasses = OperatorExceptionHandler.class)
class OperatorExceptionHandler {

    private static final String VIEW = "operator/error";

    private final Notices notices;

    OperatorExceptionHandler(Notices notices) {
        this.notices = notices;
    }

    @ExceptionHandler(UnknownItemException.class)
    ModelAndView unknown(UnknownItemException e) {
        return Notices.refusalPage(VIEW, HttpStatus.NOT_FOUND, notices.text(e.messageKey(), e.args()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView malformed(MethodArgumentTypeMismatchException e) {
        return Notices.refusalPage(VIEW, HttpStatus.BAD_REQUEST,
                notices.text("operator.error.malformed", String.valueOf(e.getValue()), e.getName()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ModelAndView missing(MissingServletRequestParameterException e) {
        return Notices.refusalPage(VIEW, HttpStatus.BAD_REQUEST,
                notices.text("operator.error.missing", e.getParameterName()));
    }
}
