package io.vgpuhub.metering.chargeback.costcentre;

import java.util.List;
import java.util.stream.Collectors;

/** A cost centre that cannot be stored as entered; nothing was written. Carries every problem found, by field. */
public class InvalidCostCentreException extends RuntimeException {

    /**
     * @param field {@code code} or {@code name}
     * @param code  a stable name of the rule broken, for callers that show it in another language
     */
    public record Problem(String field, String code, String message) {
    }

    private final List<Problem> problems;

    InvalidCostCentreException(List<Problem> problems) {
        super(problems.stream().map(Problem::message).collect(Collectors.joining(" ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
