package io.vgpuhub.web.agentapi;

import java.util.stream.Collectors;

import io.vgpuhub.metering.usage.InvalidUsageException;
import io.vgpuhub.web.inventory.GpuClaimedException;
import io.vgpuhub.web.inventory.InventoryRefusedException;
import io.vgpuhub.web.slice.SliceNotFoundException;
import jakarta.validation.ConstraintViolationException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** RFC 9457 problem details for the agent API; the portal's pages never get JSON from here. */
@RestControllerAdvice(assignableTypes = AgentApiController.class)
class AgentApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(SliceNotFoundException.class)
    ProblemDetail sliceNotFound(SliceNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown slice", e.getMessage() + " on this host");
    }

    /**
     * 422, not 404: the agent retries a 404 (a server without the route may come back) and skips a batch whose content
     * is refused, so a batch naming a slice that is not this host's cannot block the samples spooled behind it.
     */
    @ExceptionHandler(UnknownSlicesException.class)
    ProblemDetail unknownSlices(UnknownSlicesException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown slice", e.getMessage() + " on this host; nothing of the batch was stored");
    }

    @ExceptionHandler(InvalidUsageException.class)
    ProblemDetail invalidUsage(InvalidUsageException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Usage batch refused", e.getMessage() + "; nothing of the batch was stored");
    }

    @ExceptionHandler(GpuClaimedException.class)
    ProblemDetail gpuClaimed(GpuClaimedException e) {
        return problem(HttpStatus.CONFLICT, "GPU recorded elsewhere",
                e.getMessage() + "; an operator must retire it there first. Nothing of this inventory was stored");
    }

    @ExceptionHandler(InventoryRefusedException.class)
    ProblemDetail inventoryRefused(InventoryRefusedException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Inventory refused", e.getMessage() + "; nothing of this inventory was stored");
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail invalidParameter(ConstraintViolationException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request parameter", e.getMessage());
    }

    /** Names each invalid field (e.g. samples[3].sampledAt) instead of Spring's bare "Invalid request content". */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String fields = e.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField() + " " + error.getDefaultMessage()).sorted().collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().headers(headers)
                .body(problem(HttpStatus.BAD_REQUEST, "Invalid request content", fields + "; nothing was stored"));
    }

    /**
     * Says which field has the wrong type or an unknown value (e.g. gpus[0].mode), or that the body is no JSON at all,
     * instead of Spring's bare "Failed to read request", so an agent's log tells its operator what to fix.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = NestedExceptionUtils.getMostSpecificCause(e) instanceof DatabindException json ? path(json) : "";
        ProblemDetail problem = field.isEmpty()
                ? problem(HttpStatus.BAD_REQUEST, "Malformed request body",
                        "The request body is missing or is not valid JSON of the expected shape; nothing was stored")
                : problem(HttpStatus.BAD_REQUEST, "Invalid request content",
                        field + " has the wrong type or a value it cannot take; nothing was stored");
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    /** The JSON path of the field at fault, e.g. gpus[0].mode; empty when the body as a whole is at fault. */
    private static String path(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : json.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
