package io.vgpuhub.web.operator.hosttokens;

import io.vgpuhub.web.i18n.Notices;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * An unknown host id on a token page or action gets the operator's error page (a 404 that says so). Malformed ids
 * and missing parameters are the operator pages' own handler's, which covers this package too.
 */
@ControllerAdvice(basePackageClasses = HostTokensExceptionHandler.class)
class HostTokensExceptionHandler {

    private final Notices notices;

    HostTokensExceptionHandler(Notices notices) {
        this.notices = notices;
    }

    @ExceptionHandler(HostNotFoundException.class)
    ModelAndView unknown(HostNotFoundException e) {
        return Notices.refusalPage("operator/error", HttpStatus.NOT_FOUND,
                notices.text("operator.hosts.unknown", String.valueOf(e.hostId())));
    }
}
