package io.vgpuhub.metering.licensing.entitlement;

import java.util.List;
import java.util.stream.Collectors;

/** An entitlement that cannot be stored as entered; nothing was written. Carries every problem found, by field. */
public class InvalidEntitlementException extends RuntimeException {

    /**
     * @param field the draft's field ({@code edition}, {@code seats}, {@code validFrom}, {@code validUntil},
     *        {@code orderReference}, {@code notes})
     * @param code a stable name of the rule broken, for callers that show the problem in another language
     */
    public record Problem(String field, String code, String message) {
    }

    private final List<Problem> problems;

    InvalidEntitlementException(List<Problem> problems) {
        super(problems.stream().map(Problem::message).collect(Collectors.joining(" ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
