package io.vgpuhub.web.portal;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The offerings one tenant may order: enabled, and either offered to every tenant (no offering_tenant rows) or to
 * this tenant among others.
 */
@Repository
class TenantCatalog {

    private static final String VISIBLE = """
            select o.id, o.code, o.kind, o.gpu_model, o.vgpu_type, o.mig_profile, o.framebuffer_mib,
                   o.max_instances_per_gpu, o.license_edition, o.price_per_hour, o.description
            from offering o
            where o.enabled
              and (not exists (select 1 from offering_tenant v where v.offering_id = o.id)
                   or exists (select 1 from offering_tenant v where v.offering_id = o.id and v.tenant_id = :tenantId))
            """;

    private final JdbcClient jdbc;

    TenantCatalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** By GPU model, then time-sliced vGPU before MIG before whole GPUs, smallest first. */
    List<CatalogOffering> visibleTo(long tenantId) {
        return jdbc.sql(VISIBLE + """
                order by o.gpu_model, case o.kind when 'VGPU' then 0 when 'MIG' then 1 else 2 end,
                         o.framebuffer_mib, o.code
                """).param("tenantId", tenantId).query(CatalogOffering.class).list();
    }

    Optional<CatalogOffering> visibleTo(long tenantId, long offeringId) {
        return jdbc.sql(VISIBLE + " and o.id = :offeringId").param("tenantId", tenantId).param("offeringId", offeringId)
                .query(CatalogOffering.class).optional();
    }
}
