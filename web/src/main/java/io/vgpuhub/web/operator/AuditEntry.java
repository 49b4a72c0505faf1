package io.vgpuhub.web.operator;

import java.time.Instant;
import io.vgpuhub.web.i18n.UtcFormat;



/**
 * One line of the audit trail: a slice's state change (kind "slice", with from and to state) or an operator's or
 * tenant admin's action (kind = the action's first word, e.g. "host" for host.drain).
 */
record AuditEntry(Instant at, String kind, String actor, String action, String fromState, String toState,
        String target, String reason, String tenantName, String hostName) {

    public String atUtc() {
        return UtcFormat.second(at);
    }

    public boolean sliceEvent() {
        return "slice".equals(kind);
    }
}
