package io.vgpuhub.web.portal;

import io.vgpuhub.web.slice.SliceNotFoundException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Turns the portal's expected failures into HTML error pages; pages never get JSON or a stack trace. */
@ControllerAdvice(basePackageClasses = PortalExceptionHandler.class)
class PortalExceptionHandler {

    @ExceptionHandler(SliceNotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String sliceNotFound() {
        return "error/404";
    }

    /** A path that names a slice by something that is not a UUID names no slice at all. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String malformedId() {
        return "error/404";
    }
}
