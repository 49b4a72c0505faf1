package io.vgpuhub.web.operator;

import io.vgpuhub.web.security.PortalUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Writes the audit_event row of an operator's change, in the change's own transaction: both land or neither. */
@Component
class AuditLog {

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param tenantId the tenant the change concerns, if exactly one */
    @Transactional(propagation = Propagation.MANDATORY)
    void record(PortalUser who, Long tenantId, String action, String target, String detail) {
        jdbc.sql("insert into audit_event (actor, tenant_id, action, target, detail) values (?, ?, ?, ?, ?)")
                .params(actor(who), tenantId, action, target, detail).update();
    }

    static String actor(PortalUser who) {
        return "user:" + who.getUsername();
    }
}
