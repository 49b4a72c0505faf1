package io.vgpuhub.metering.chargeback;

import java.util.List;

/** What the calculator priced for one tenant in a month: its lines and its slices' showback. */
public record TenantCharges(TenantRef tenant, List<StatementLine> lines, List<SliceShowback> showback) {

    public TenantCharges {
        lines = List.copyOf(lines);
        showback = List.copyOf(showback);
    }
}
