package io.vgpuhub.metering.chargeback.close;

import java.time.YearMonth;
import java.util.List;

/** Whether a month may be closed now, and if not, every reason why (for the confirmation page). */
public record CloseCheck(YearMonth month, List<CloseRefusal> refusals) {

    public CloseCheck {
        refusals = List.copyOf(refusals);
    }

    public boolean canClose() {
        return refusals.isEmpty();
    }

    public boolean refuses(CloseRefusal.Reason reason) {
        return refusals.stream().anyMatch(refusal -> refusal.reason() == reason);
    }
}
