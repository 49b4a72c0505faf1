package io.vgpuhub.web.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.vgpuhub.web.security.PortalUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The operator's side of the catalog: offerings by GPU model and kind, switching them on and off, price, visibility. */
@Component
class OfferingAdmin {

    private static final String ROWS = """
            select o.id, o.code, o.kind, o.gpu_model, o.vgpu_type, o.mig_profile, o.framebuffer_mib,
                   o.max_instances_per_gpu, o.license_edition, o.enabled, o.price_per_hour, o.description,
                   array_to_string(array(select t.name from offering_tenant ot join tenant t on t.id = ot.tenant_id
                                         where ot.offering_id = o.id order by t.name), ', ') as visible_to
            from offering o
            """;

    private static final List<String> KIND_ORDER = List.of("VGPU", "MIG", "PASSTHROUGH");

    private final JdbcClient jdbc;
    private final AuditLog audit;

    OfferingAdmin(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** The offerings of one GPU model and kind. */
    record Group(String gpuModel, String kind, List<OfferingRow> offerings) {
    }

    /** A tenant that could be given sight of an offering. */
    record TenantChoice(long id, String name) {
    }

    List<Group> grouped() {
        List<OfferingRow> rows = jdbc.sql(ROWS + " order by o.gpu_model, o.framebuffer_mib, o.code")
                .query(OfferingRow.class).list();
        Map<String, Map<String, List<OfferingRow>>> byModel = new LinkedHashMap<>();
        for (OfferingRow row : rows) {
            byModel.computeIfAbsent(row.gpuModel(), m -> new LinkedHashMap<>())
                    .computeIfAbsent(row.kind(), k -> new ArrayList<>()).add(row);
        }
        List<Group> groups = new ArrayList<>();
        byModel.forEach((model, kinds) -> KIND_ORDER.stream().filter(kinds::containsKey)
                .forEach(kind -> groups.add(new Group(model, kind, kinds.get(kind)))));
        return groups;
    }

    OfferingRow get(long offeringId) {
        return jdbc.sql(ROWS + " where o.id = ?").param(offeringId).query(OfferingRow.class).optional()
                .orElseThrow(() -> new UnknownItemException("operator.offerings.unknown", String.valueOf(offeringId)));
    }

    Set<Long> visibleTo(long offeringId) {
        return new TreeSet<>(jdbc.sql("select tenant_id from offering_tenant where offering_id = ?").param(offeringId)
                .query(Long.class).list());
    }

    List<TenantChoice> tenants() {
        return jdbc.sql("select id, name from tenant order by name").query(TenantChoice.class).list();
    }

    /** @return false when the offering already was in that state (nothing written) */
    @Transactional
    boolean setEnabled(PortalUser who, long offeringId, boolean enabled) {
        OfferingRow offering = lock(offeringId);
        if (offering.enabled() == enabled) {
            return false;
        }
        jdbc.sql("update offering set enabled = ? where id = ?").params(enabled, offeringId).update();
        audit.record(who, null, enabled ? "offering.enable" : "offering.disable", offering.code(), null);
        return true;
    }

    /**
     * Applies the form; each aspect that changed gets its own audit row.
     *
     * @return how many aspects changed (0: nothing written)
     * @throws RefusedException when the form names a tenant that does not exist; nothing changes then
     */
    @Transactional
    int update(PortalUser who, long offeringId, OfferingForm form) {
        OfferingRow offering = lock(offeringId);
        Set<Long> known = new TreeSet<>(tenants().stream().map(TenantChoice::id).toList());
        if (!known.containsAll(form.getTenantIds())) {
            throw new RefusedException("operator.offerings.tenants.unknown");
        }
        int changes = 0;
        if (offering.pricePerHour().compareTo(form.getPricePerHour()) != 0) {
            jdbc.sql("update offering set price_per_hour = ? where id = ?").params(form.getPricePerHour(), offeringId)
                    .update();
            audit.record(who, null, "offering.price", offering.code(),
                    offering.price() + " -> " + form.getPricePerHour().stripTrailingZeros().toPlainString() + " per hour");
            changes++;
        }
        if (!Objects.equals(offering.description(), form.getDescription())) {
            jdbc.sql("update offering set description = ? where id = ?").params(form.getDescription(), offeringId)
                    .update();
            audit.record(who, null, "offering.description", offering.code(), form.getDescription());
            changes++;
        }
        Set<Long> before = visibleTo(offeringId);
        Set<Long> after = new TreeSet<>(form.getTenantIds());
        if (!before.equals(after)) {
            jdbc.sql("delete from offering_tenant where offering_id = ?").param(offeringId).update();
            for (long tenantId : after) {
                jdbc.sql("insert into offering_tenant (offering_id, tenant_id) values (?, ?)").params(offeringId, tenantId)
                        .update();
            }
            String visible = get(offeringId).visibleTo();
            audit.record(who, after.size() == 1 ? after.iterator().next() : null, "offering.visibility", offering.code(),
                    "visible to " + (visible.isEmpty() ? "every tenant" : visible));
            changes++;
        }
        return changes;
    }

    private OfferingRow lock(long offeringId) {
        jdbc.sql("select id from offering where id = ? for update").param(offeringId).query(Long.class).optional()
                .orElseThrow(() -> new UnknownItemException("operator.offerings.unknown", String.valueOf(offeringId)));
        return get(offeringId);
    }
}
