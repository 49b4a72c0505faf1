package io.vgpuhub.web.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.licensing.NoSeatAvailableException;
import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.QuotaExceededException;
import io.vgpuhub.web.slice.SliceNotFoundException;
import tools.jackson.core.JacksonException;

import org.springframework.beans.TypeMismatchException;
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
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * RFC 9457 problem details for the tenant API, with a title a person understands and, where a field is at fault,
 * the field. Scoped to this package, so the portal's pages never get JSON from here.
 */
@RestControllerAdvice(basePackageClasses = ApiExceptionHandler.class)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    static final URI INVALID_REQUEST = URI.create("urn:vgpuhub:problem:invalid-request");
    static final URI NOT_FOUND = URI.create("urn:vgpuhub:problem:not-found");
    static final URI NO_CAPACITY = URI.create("urn:vgpuhub:problem:no-capacity");
    static final URI QUOTA_EXCEEDED = URI.create("urn:vgpuhub:problem:quota-exceeded");
    static final URI NO_LICENSE_SEAT = URI.create("urn:vgpuhub:problem:no-license-seat");

    private record FieldProblem(String field, String message) {
    }

    @ExceptionHandler(SliceNotFoundException.class)
    ProblemDetail sliceNotFound(SliceNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Slice not found", e.getMessage() + " in your tenant.");
    }

    @ExceptionHandler(NoCapacityException.class)
    ProblemDetail noCapacity(NoCapacityException e) {
        return problem(HttpStatus.CONFLICT, NO_CAPACITY, "No capacity", e.getMessage() + " Nothing was reserved.");
    }

    @ExceptionHandler(QuotaExceededException.class)
    ProblemDetail quotaExceeded(QuotaExceededException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, QUOTA_EXCEEDED, "Quota exceeded",
                e.getMessage() + " Release slices or ask your provider for a larger quota; nothing was reserved.");
        problem.setProperty("limit", e.limit().name());
        problem.setProperty("allowed", e.allowed());
        problem.setProperty("inUse", e.inUse());
        problem.setProperty("requested", e.requested());
        return problem;
    }

    @ExceptionHandler(NoSeatAvailableException.class)
    ProblemDetail noSeat(NoSeatAvailableException e) {
        // The provider's seat counts are the license administrator's business, not the tenant's.
        ProblemDetail problem = problem(HttpStatus.CONFLICT, NO_LICENSE_SEAT, "No " + e.editionName() + " seat free",
                e.tenantMessage() + " Nothing was reserved.");
        problem.setProperty("edition", e.edition().name());
        return problem;
    }

    @ExceptionHandler(InvalidApiRequestException.class)
    ProblemDetail invalidRequest(InvalidApiRequestException e) {
        return invalid(e.getMessage(), List.of(new FieldProblem(e.field(), e.getMessage())));
    }

    /** SliceRequests' own refusals (an offering disabled a moment ago, a count below one). */
    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail refused(IllegalArgumentException e) {
        return invalid(e.getMessage() + ".", List.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<FieldProblem> fields = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldProblem(error.getField(), error.getDefaultMessage())).toList();
        return ResponseEntity.badRequest().headers(headers)
                .body(invalid("The request has " + fields.size() + " invalid field" + (fields.size() == 1 ? "" : "s")
                        + "; see 'errors'. Nothing was changed.", fields));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail problem;
        if (NestedExceptionUtils.getMostSpecificCause(e) instanceof JacksonException json && !json.getPath().isEmpty()
                && json.getPath().get(json.getPath().size() - 1).getPropertyName() != null) {
            String field = json.getPath().get(json.getPath().size() - 1).getPropertyName();
            problem = invalid("The field '" + field + "' has the wrong type.",
                    List.of(new FieldProblem(field, "Has the wrong type; see the API document for its type.")));
        }
        else {
            problem = problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Malformed request body",
                    "The request body is missing or is not valid JSON. Nothing was changed.");
        }
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : e.getPropertyName();
        String detail = "sliceId".equals(name)
                ? "'" + e.getValue() + "' is not a slice id; slice ids are UUIDs such as 3f1c9a6e-5b7d-4c2e-9a1f-0e8d7c6b5a49."
                : "'" + e.getValue() + "' is not a valid " + name + ".";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Malformed " + name, detail);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    private static ProblemDetail invalid(String detail, List<FieldProblem> fields) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request", detail);
        problem.setProperty("errors", fields.stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }
}
