package io.vgpuhub.web.portal;

import io.vgpuhub.web.slice.SliceNotFoundException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/** Turns the portal's expected failures into HTML error pages; pages never get JSON or a stack trace. */
@ControllerAdvice(basePackageClasses = PortalExceptionHandler.class)
class PortalExceptionHandler {

    @ExceptionHandler(SliceNotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String sliceNotFound() {
        return "error/404";
    }

    /**
     * A path that names a slice by something that is not a UUID names no slice at all (404); a query parameter
     * of the wrong type is a bad request (400).
     */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView typeMismatch(MethodArgumentTypeMismatchException e) {
        if (e.getParameter().hasParameterAnnotation(PathVariable.class)) {
            ModelAndView notFound = new ModelAndView("error/404");
            notFound.setStatus(HttpStatus.NOT_FOUND);
            return notFound;
        }
        ModelAndView badRequest = new ModelAndView("error");
        badRequest.addObject("status", HttpStatus.BAD_REQUEST.value());
        badRequest.setStatus(HttpStatus.BAD_REQUEST);
        return badRequest;
    }
}
