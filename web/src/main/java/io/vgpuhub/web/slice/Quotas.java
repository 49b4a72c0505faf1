package io.vgpuhub.web.slice;

import io.vgpuhub.web.catalog.Offering;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Per-tenant limits on live slices and their total framebuffer; a slice counts until it is released. */
@Component
public class Quotas {

    private final JdbcClient jdbc;

    Quotas(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public QuotaUse useOf(long tenantId) {
        return jdbc.sql("""
                select t.quota_max_slices as max_slices, count(s.id) as used_slices,
                       t.quota_max_framebuffer_mib as max_framebuffer_mib,
                       coalesce(sum(o.framebuffer_mib), 0) as used_framebuffer_mib
                from tenant t
                left join slice s on s.tenant_id = t.id and s.state <> 'RELEASED'
                left join offering o on o.id = s.offering_id
                where t.id = ?
                group by t.id
                """).param(tenantId).query(QuotaUse.class).single();
    }

    /**
     * Refuses {@code count} more slices of {@code offering} past the tenant's quota. Locks the tenant's row, so two
     * concurrent requests of one tenant are checked one after the other and cannot both slip under the limit.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void check(long tenantId, Offering offering, int count) {
        jdbc.sql("select id from tenant where id = ? for update").param(tenantId).query(Long.class).single();
        QuotaUse use = useOf(tenantId);
        if (use.maxSlices() != null && use.usedSlices() + count > use.maxSlices()) {
            throw new QuotaExceededException(QuotaExceededException.Limit.SLICES, use.maxSlices(), use.usedSlices(), count);
        }
        long framebuffer = (long) offering.framebufferMib() * count;
        if (use.maxFramebufferMib() != null && use.usedFramebufferMib() + framebuffer > use.maxFramebufferMib()) {
            throw new QuotaExceededException(QuotaExceededException.Limit.FRAMEBUFFER_MIB, use.maxFramebufferMib(),
                    use.usedFramebufferMib(), framebuffer);
        }
    }
}
