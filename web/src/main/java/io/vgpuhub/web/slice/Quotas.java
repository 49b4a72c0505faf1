package io.vgpuhub.web.slice;

import io.vgpuhub.web.catalog.Offering;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-tenant limits on live slices and their total framebuffer. A slice counts from its request until it is
 * released: a FAILED slice still holds its place on the GPU (and its device may still exist on the host) until
 * the tenant releases it.
 */
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
     * Refuses {@code count} more slices of {@code offering} past the tenant's quota. A tenant with a quota has its
     * row locked until the transaction ends, so two concurrent requests of one tenant are checked one after the
     * other and cannot both slip under the limit. A tenant without quotas is not locked: its requests have nothing
     * to check and need not wait for each other.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void check(long tenantId, Offering offering, int count) {
        boolean limited = jdbc.sql("""
                select quota_max_slices is not null or quota_max_framebuffer_mib is not null from tenant where id = ?
                """).param(tenantId).query(Boolean.class).single();
        if (!limited) {
            return;
        }
        // "no key update" rather than "update": inserts that only reference the tenant (its slices, tokens, audit
        // events) need not wait for this lock.
        jdbc.sql("select id from tenant where id = ? for no key update").param(tenantId).query(Long.class).single();
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
