package io.vgpuhub.web.operator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The audit trail: slice state changes and operators' actions merged, newest first, filtered and paged. */
@Component
class AuditTrail {

    static final int PAGE_SIZE = 50;

    /**
     * The kinds to filter by: slice events, then each family of audit_event actions (an action's first word), as the
     * code records them; each has its label operator.audit.kind.*. A fixed list, so that the page does not scan the
     * whole trail, which every sign-in lengthens, on every load.
     */
    static final List<String> KINDS = List.of("slice", "host", "gpu", "offering", "tenant", "login", "user", "token",
            "license", "entitlement", "ratecard", "costcentre", "month", "adjustment");

    /**
     * Both sources in one shape. Host and GPU actions name their host first in the target (host names have no
     * spaces), which is how an audit_event row finds its host.
     */
    private static final String ENTRIES = """
            with entries as (
                select e.at, e.id as seq, 'slice' as kind, e.actor, null as action, e.from_state, e.to_state,
                       s.vm_name || ' (' || s.uuid || ')' as target, e.reason,
                       s.tenant_id, t.name as tenant_name, h.id as host_id, h.name as host_name
                from slice_event e
                join slice s on s.id = e.slice_id
                join tenant t on t.id = s.tenant_id
                left join gpu g on g.id = s.gpu_id
                left join host h on h.id = g.host_id
                union all
                select a.at, a.id, split_part(a.action, '.', 1), a.actor, a.action, null, null, a.target, a.detail,
                       a.tenant_id, t.name, h.id, h.name
                from audit_event a
                left join tenant t on t.id = a.tenant_id
                left join host h on split_part(a.action, '.', 1) in ('host', 'gpu')
                                and (a.target = h.name or starts_with(a.target, h.name || ' '))
            )
            select at, kind, actor, action, from_state, to_state, target, reason, tenant_name, host_name
            from entries
            """;

    private final JdbcClient jdbc;

    AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One page of entries, and whether an older page follows. */
    record Page(List<AuditEntry> entries, int number, boolean hasOlder) {

        boolean hasNewer() {
            return number > 1;
        }
    }

    Page page(AuditFilter filter) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (filter.getHost() != null) {
            conditions.add("host_id = :host");
            params.put("host", filter.getHost());
        }
        if (filter.getTenant() != null) {
            conditions.add("tenant_id = :tenant");
            params.put("tenant", filter.getTenant());
        }
        if (filter.getActor() != null) {
            conditions.add("strpos(lower(actor), lower(:actor)) > 0");
            params.put("actor", filter.getActor());
        }
        if (filter.getKind() != null) {
            conditions.add("kind = :kind");
            params.put("kind", filter.getKind());
        }
        params.put("limit", PAGE_SIZE + 1);
        params.put("offset", (long) (filter.getPage() - 1) * PAGE_SIZE);
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        List<AuditEntry> rows = jdbc.sql(ENTRIES + where + " order by at desc, seq desc limit :limit offset :offset")
                .params(params).query(AuditEntry.class).list();
        boolean older = rows.size() > PAGE_SIZE;
        return new Page(older ? rows.subList(0, PAGE_SIZE) : rows, filter.getPage(), older);
    }
}
