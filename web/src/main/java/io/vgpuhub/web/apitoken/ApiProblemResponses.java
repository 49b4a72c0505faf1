package io.vgpuhub.web.apitoken;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The tenant API's 401 and 403 as RFC 9457 problem details, never a redirect to the login page: the callers are
 * programs. The 401 carries the RFC 6750 challenge and says what was wrong with the token.
 */
public class ApiProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;

    public ApiProblemResponses(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        TokenCheck.Outcome outcome = (TokenCheck.Outcome) request.getAttribute(ApiTokenAuthenticationFilter.OUTCOME);
        String detail = switch (outcome == null ? TokenCheck.Outcome.VALID : outcome) {
            case MALFORMED -> "The Authorization header must be 'Bearer vgh_...' with an API token issued by your tenant admin.";
            case UNKNOWN -> "This API token does not exist. Check that it was copied completely.";
            case REVOKED -> "This API token has been revoked. Ask your tenant admin for a new one.";
            case EXPIRED -> "This API token has expired. Ask your tenant admin for a new one.";
            default -> "Send an API token as 'Authorization: Bearer vgh_...'. Tenant admins issue tokens on the tenant admin page.";
        };
        String challenge = outcome == null ? "Bearer realm=\"vGPU Hub\""
                : "Bearer realm=\"vGPU Hub\", error=\"invalid_token\"";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String detail = request.getAttribute(ApiTokenAuthenticationFilter.OUTCOME) == TokenCheck.Outcome.USER_INACTIVE
                ? "The user who issued this API token is disabled or no longer a member of the tenant, so the token may not act."
                : "This API token may not do this.";
        write(request, response, HttpStatus.FORBIDDEN, "Forbidden", detail);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
            String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
