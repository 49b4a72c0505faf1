package io.vgpuhub.web.licenses;

import java.time.Instant;

import io.vgpuhub.metering.licensing.entitlement.EntitlementView;

/** An entitlement in the list, with its state now: ACTIVE, UPCOMING or ENDED. */
record EntitlementRow(EntitlementView entitlement, String state) {

    static EntitlementRow of(EntitlementView entitlement, Instant now) {
        String state = entitlement.validAt(now) ? "ACTIVE" : entitlement.expiredAt(now) ? "ENDED" : "UPCOMING";
        return new EntitlementRow(entitlement, state);
    }

    public boolean ended() {
        return "ENDED".equals(state);
    }
}
