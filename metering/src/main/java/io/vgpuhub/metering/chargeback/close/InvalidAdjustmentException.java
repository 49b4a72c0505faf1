package io.vgpuhub.metering.chargeback.close;

import java.util.List;
import java.util.stream.Collectors;

/** An adjustment that cannot be booked as entered; nothing was written. Carries every problem found, by field. */
public class InvalidAdjustmentException extends RuntimeException {

    /**
     * @param field the booking's field ({@code tenant}, {@code costCentre}, {@code month}, {@code amount},
     *        {@code reason}, {@code correctsMonth})
     * @param code a stable name of the rule broken, for callers that show the problem in another language
     */
    public record Problem(String field, String code, String message) {
    }

    private final List<Problem> problems;

    InvalidAdjustmentException(List<Problem> problems) {
        super(problems.stream().map(Problem::message).collect(Collectors.joining(" ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
