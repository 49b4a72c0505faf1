package io.vgpuhub.metering.chargeback.close;

import java.util.stream.Collectors;

/** A close that was refused before anything was written; the check says why. */
public class MonthCloseRefusedException extends RuntimeException {

    private final CloseCheck check;

    MonthCloseRefusedException(CloseCheck check) {
        super("month " + check.month() + " cannot be closed: " + check.refusals().stream()
                .map(refusal -> refusal.earlierMonth() == null ? refusal.reason().name()
                        : refusal.reason() + " (" + refusal.earlierMonth() + ")")
                .collect(Collectors.joining(", ")));
        this.check = check;
    }

    public CloseCheck check() {
        return check;
    }
}
