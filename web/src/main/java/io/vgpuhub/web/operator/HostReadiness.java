package io.vgpuhub.web.operator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the readiness checks a host's agent last reported (stored by HostInventory with its inventory). */
@Component
class HostReadiness {

    private final JdbcClient jdbc;

    HostReadiness(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Empty when the host's agent has not reported readiness. */
    Optional<ReadinessReport> of(long hostId) {
        record Row(Instant checkedAt, Long secondsSinceChecked, String scope, String model, String check, String status,
                String summary, String fix) {
        }
        // One row per check (one row with no check when the agent sent an empty list; none when it sent no readiness).
        // Host first, then GPUs by address; within each, FAIL before WARN before OK, else in the agent's order.
        List<Row> rows = jdbc.sql("""
                select h.readiness_checked_at as checked_at,
                       extract(epoch from now() - h.readiness_checked_at)::bigint as seconds_since_checked,
                       c.item ->> 'scope' as scope, g.model, c.item ->> 'check' as "check", c.item ->> 'status' as status,
                       c.item ->> 'summary' as summary, c.item ->> 'fix' as fix
                from host h
                left join lateral jsonb_array_elements(h.readiness) with ordinality as c(item, ord) on true
                left join gpu g on g.host_id = h.id and g.pci_address = c.item ->> 'scope'
                where h.id = ? and h.readiness is not null
                order by c.item ->> 'scope' <> 'host', c.item ->> 'scope',
                         case c.item ->> 'status' when 'FAIL' then 0 when 'WARN' then 1 else 2 end, c.ord
                """).param(hostId).query(Row.class).list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<ReadinessReport.Check> hostChecks = new ArrayList<>();
        Map<String, ReadinessReport.GpuChecks> gpus = new LinkedHashMap<>();
        for (Row row : rows) {
            if (row.scope() == null) {
                continue;
            }
            ReadinessReport.Check check = new ReadinessReport.Check(row.check(), row.status(), row.summary(), row.fix());
            if ("host".equals(row.scope())) {
                hostChecks.add(check);
            }
            else {
                gpus.computeIfAbsent(row.scope(), scope -> new ReadinessReport.GpuChecks(scope, row.model(), new ArrayList<>()))
                        .checks().add(check);
            }
        }
        return Optional.of(new ReadinessReport(rows.get(0).checkedAt(), rows.get(0).secondsSinceChecked(), hostChecks,
                List.copyOf(gpus.values())));
    }
}
