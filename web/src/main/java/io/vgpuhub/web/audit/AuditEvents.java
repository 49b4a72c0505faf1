package io.vgpuhub.web.audit;

import java.sql.Types;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes audit_event rows: the trail of changes that are not slice transitions (operators' drains and mode changes,
 * tenant admins' users and tokens, hosts going offline). Called inside the change's own transaction, so both land
 * or neither.
 */
@Component
public class AuditEvents {

    private final JdbcClient jdbc;

    AuditEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param tenantId the tenant the change concerns, if exactly one */
    public void record(String actor, Long tenantId, String action, String target, String detail) {
        jdbc.sql("""
                insert into audit_event (actor, tenant_id, action, target, detail)
                values (:actor, :tenantId, :action, :target, :detail)""")
                .param("actor", actor).param("tenantId", tenantId, Types.BIGINT).param("action", action)
                .param("target", target).param("detail", detail, Types.VARCHAR)
                .update();
    }
}
