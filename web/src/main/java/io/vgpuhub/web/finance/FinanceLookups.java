package io.vgpuhub.web.finance;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.vgpuhub.metering.SqlTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** What the finance pages need besides statements: whether a tenant exists, and a slice of a tenant as it stands. */
@Component
class FinanceLookups {

    /** A slice as the drill-down heads it (now, not as a closed statement froze it). */
    record SliceInfo(long id, UUID uuid, String vmName, String offeringCode, String state, String costCentre,
            Instant readyAt, Instant releasedAt) {
    }

    private final JdbcClient jdbc;

    FinanceLookups(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    Optional<String> tenantName(long tenantId) {
        return jdbc.sql("select name from tenant where id = ?").param(tenantId).query(String.class).optional();
    }

    /** The slice, only when it is the tenant's. */
    @Transactional(readOnly = true)
    Optional<SliceInfo> slice(long tenantId, long sliceId) {
        return jdbc.sql("""
                select s.id, s.uuid, s.vm_name, o.code, s.state, c.code as centre, s.ready_at, s.released_at
                from slice s join offering o on o.id = s.offering_id join cost_centre c on c.id = s.cost_centre_id
                where s.id = ? and s.tenant_id = ?
                """).params(sliceId, tenantId)
                .query((rs, row) -> new SliceInfo(rs.getLong("id"), rs.getObject("uuid", UUID.class),
                        rs.getString("vm_name"), rs.getString("code"), rs.getString("state"), rs.getString("centre"),
                        SqlTime.instant(rs, "ready_at"), SqlTime.instant(rs, "released_at")))
                .optional();
    }
}
