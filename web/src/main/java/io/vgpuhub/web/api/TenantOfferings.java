package io.vgpuhub.web.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vgpuhub.web.catalog.SliceKind;
import io.vgpuhub.web.placement.FreeCapacity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The offerings one tenant may order: enabled ones, and of those restricted to some tenants (offering_tenant rows)
 * only when the tenant is among them.
 */
@Repository
class TenantOfferings {

    private static final String VISIBLE = """
            select o.id, o.code, o.kind, o.gpu_model, o.vgpu_type, o.mig_profile, o.framebuffer_mib, o.license_edition,
                   o.price_per_hour, o.description
            from offering o
            where o.enabled
              and (not exists (select 1 from offering_tenant v where v.offering_id = o.id)
                   or exists (select 1 from offering_tenant v where v.offering_id = o.id and v.tenant_id = :tenantId))
            """;

    private record Row(long id, String code, SliceKind kind, String gpuModel, String vgpuType, String migProfile,
            int framebufferMib, String licenseEdition, BigDecimal pricePerHour, String description) {

        OfferingResource withFree(Map<Long, Integer> free) {
            return new OfferingResource(id, code, kind, gpuModel, vgpuType, migProfile, framebufferMib, licenseEdition,
                    pricePerHour, description, free.getOrDefault(id, 0));
        }
    }

    private final JdbcClient jdbc;
    private final FreeCapacity capacity;

    TenantOfferings(JdbcClient jdbc, FreeCapacity capacity) {
        this.jdbc = jdbc;
        this.capacity = capacity;
    }

    List<OfferingResource> visibleTo(long tenantId) {
        Map<Long, Integer> free = capacity.freeInstancesByOffering();
        return jdbc.sql(VISIBLE + " order by o.gpu_model, o.kind, o.framebuffer_mib, o.code")
                .param("tenantId", tenantId).query(Row.class).list().stream().map(row -> row.withFree(free)).toList();
    }

    /** The id of the offering the tenant means, by id or by code, if the tenant may order it. */
    Optional<Long> resolve(long tenantId, Long offeringId, String offeringCode) {
        return offeringId != null
                ? jdbc.sql(VISIBLE + " and o.id = :id").param("tenantId", tenantId).param("id", offeringId)
                        .query(Row.class).optional().map(Row::id)
                : jdbc.sql(VISIBLE + " and o.code = :code").param("tenantId", tenantId).param("code", offeringCode)
                        .query(Row.class).optional().map(Row::id);
    }
}
