package io.vgpuhub.web.tenantadmin;

import io.vgpuhub.web.apitoken.ApiTokenNotFoundException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Another tenant's users and tokens do not exist for a tenant admin: the HTML 404 page, never JSON or a trace. */
@ControllerAdvice(basePackageClasses = TenantAdminExceptionHandler.class)
class TenantAdminExceptionHandler {

    @ExceptionHandler({TenantUserNotFoundException.class, ApiTokenNotFoundException.class})
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound() {
        return "error/404";
    }
}
