package io.vgpuhub.web.operator;

import io.vgpuhub.web.audit.AuditEvents;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Writes the audit_event row of an operator's change, in the change's own transaction: both land or neither. */
@Component
public class AuditLog {

    private final AuditEvents events;

    AuditLog(AuditEvents events) {
        this.events = events;
    }

    /** @param tenantId the tenant the change concerns, if exactly one */
    @Transactional(propagation = Propagation.MANDATORY)
    void record(PortalUser who, Long tenantId, String action, String target, String detail) {
        events.record(actor(who), tenantId, action, target, detail);
    }

    /** How the audit trail names a portal user who acted. */
    public static String actor(PortalUser who) {
        return "user:" + who.getUsername();
    }
}
