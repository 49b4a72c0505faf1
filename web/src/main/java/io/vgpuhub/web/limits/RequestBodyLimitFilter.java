package io.vgpuhub.web.limits;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose declared body is larger than {@link RequestBodySettings#maxBodySize()} with 413 before
 * anything reads it. Without it a JSON body of any size is parsed into memory (Tomcat's max-post-size covers only
 * form parameters). Runs before security, so an unauthenticated caller cannot make the server read a huge body
 * either; the answer says nothing but the limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 50)
class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final JsonMapper json;

    RequestBodyLimitFilter(RequestBodySettings settings, JsonMapper json) {
        this.maxBytes = settings.maxBodySize().toBytes();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length <= maxBytes) {
            chain.doFilter(request, response);
            return;
        }
        String detail = "The request body is " + length + " bytes; at most " + maxBytes
                + " bytes are accepted. Nothing was changed.";
        if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
            // Security's headers are not written yet at this point of the chain.
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", "about:blank");
            problem.put("title", "Request body too large");
            problem.put("status", HttpStatus.CONTENT_TOO_LARGE.value());
            problem.put("detail", detail);
            json.writeValue(response.getOutputStream(), problem);
        }
        else {
            response.sendError(HttpStatus.CONTENT_TOO_LARGE.value(), detail);
        }
    }
}
