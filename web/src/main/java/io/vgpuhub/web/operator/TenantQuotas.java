package io.vgpuhub.web.operator;

import java.util.List;
import java.util.Objects;

import io.vgpuhub.web.security.PortalUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tenants' quotas. Requests check them under the tenant's row lock (slice.Quotas); a change here takes the same
 * lock, so a request sees either the old limits or the new ones, never a mix.
 */
@Component
class TenantQuotas {

    private static final String ROWS = """
            select t.id, t.name, t.quota_max_slices, t.quota_max_framebuffer_mib,
                   count(s.id) as live_slices, coalesce(sum(o.framebuffer_mib), 0) as live_framebuffer_mib
            from tenant t
            left join slice s on s.tenant_id = t.id and s.state <> 'RELEASED'
            left join offering o on o.id = s.offering_id
            """;

    private final JdbcClient jdbc;
    private final AuditLog audit;

    TenantQuotas(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    List<TenantRow> all() {
        return jdbc.sql(ROWS + " group by t.id order by t.name").query(TenantRow.class).list();
    }

    TenantRow get(long tenantId) {
        return jdbc.sql(ROWS + " where t.id = ? group by t.id").param(tenantId).query(TenantRow.class).optional()
                .orElseThrow(() -> new UnknownItemException("operator.tenants.unknown", String.valueOf(tenantId)));
    }

    /** @return false when the quotas were already these (nothing written) */
    @Transactional
    boolean set(PortalUser who, long tenantId, QuotaForm form) {
        jdbc.sql("select id from tenant where id = ? for update").param(tenantId).query(Long.class).optional()
                .orElseThrow(() -> new UnknownItemException("operator.tenants.unknown", String.valueOf(tenantId)));
        TenantRow tenant = get(tenantId);
        if (Objects.equals(tenant.quotaMaxSlices(), form.getMaxSlices())
                && Objects.equals(tenant.quotaMaxFramebufferMib(), form.getMaxFramebufferMib())) {
            return false;
        }
        jdbc.sql("update tenant set quota_max_slices = ?, quota_max_framebuffer_mib = ? where id = ?")
                .params(form.getMaxSlices(), form.getMaxFramebufferMib(), tenantId).update();
        audit.record(who, tenantId, "tenant.quota", tenant.name(),
                "slices " + limit(tenant.quotaMaxSlices()) + " -> " + limit(form.getMaxSlices())
                        + "; framebuffer MiB " + limit(tenant.quotaMaxFramebufferMib()) + " -> "
                        + limit(form.getMaxFramebufferMib()));
        return true;
    }

    private static String limit(Number value) {
        return value == null ? "unlimited" : value.toString();
    }
}
