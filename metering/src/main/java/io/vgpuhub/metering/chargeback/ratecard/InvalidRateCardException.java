package io.vgpuhub.metering.chargeback.ratecard;

import java.util.List;
import java.util.stream.Collectors;

/** A rate card that cannot be stored as entered; nothing was written. Carries every problem found, by field. */
public class InvalidRateCardException extends RuntimeException {

    /**
     * @param field the form field: {@code effectiveFrom}, {@code currency}, {@code name}, {@code notes},
     *        {@code offeringPrices[<offering id>]} or {@code seatPrices[<edition>]}
     * @param code a stable name of the rule broken, for callers that show the problem in another language
     * @param args the values the message quotes, in order, for such callers
     */
    public record Problem(String field, String code, String message, List<Object> args) {

        public Problem {
            args = List.copyOf(args);
        }
    }

    private final List<Problem> problems;

    InvalidRateCardException(List<Problem> problems) {
        super(problems.stream().map(Problem::message).collect(Collectors.joining(" ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
