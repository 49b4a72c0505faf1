package io.vgpuhub.web.operator;

import java.util.List;
import java.util.Optional;

import io.vgpuhub.web.placement.PlacementSettings;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Hosts for the operator: how their agents report, what they carry, and draining. A draining host gets no new
 * slices (placement only takes ONLINE hosts) while the slices it has keep running.
 */
@Component
class Hosts {

    private static final String ROWS = """
            select h.id, h.name, h.state, h.last_seen_at,
                   extract(epoch from now() - h.last_seen_at)::bigint as seconds_since_seen,
                   coalesce(h.last_seen_at > now() - make_interval(secs => :offlineSeconds), false) as reporting,
                   h.agent_version,
                   (select count(*) from gpu g where g.host_id = h.id) as gpus,
                   (select count(*) from virtual_function v join gpu g on g.id = v.gpu_id where g.host_id = h.id)
                       as virtual_functions,
                   (select count(*) from slice s join gpu g on g.id = s.gpu_id
                    where g.host_id = h.id and s.state <> 'RELEASED') as live_slices,
                   array_to_string(h.foreign_devices, ', ') as foreign_devices,
                   h.readiness is not null as readiness_reported,
                   (select count(*) from jsonb_array_elements(h.readiness) c where c ->> 'status' = 'FAIL')
                       as readiness_failures,
                   (select count(*) from jsonb_array_elements(h.readiness) c where c ->> 'status' = 'WARN')
                       as readiness_warnings,
                   h.agent_token_hash is null as token_revoked
            from host h
            """;

    private final JdbcClient jdbc;
    private final PlacementSettings placement;
    private final AuditLog audit;

    Hosts(JdbcClient jdbc, PlacementSettings placement, AuditLog audit) {
        this.jdbc = jdbc;
        this.placement = placement;
        this.audit = audit;
    }

    /** A host to pick in a filter: no counts, no agent state. */
    record HostChoice(long id, String name) {
    }

    List<HostChoice> choices() {
        return jdbc.sql("select id, name from host order by name").query(HostChoice.class).list();
    }

    List<HostRow> all() {
        return jdbc.sql(ROWS + " order by h.name").param("offlineSeconds", placement.hostOfflineAfterSeconds())
                .query(HostRow.class).list();
    }

    Optional<HostRow> find(long hostId) {
        return jdbc.sql(ROWS + " where h.id = :id").param("offlineSeconds", placement.hostOfflineAfterSeconds()).param("id", hostId)
                .query(HostRow.class).optional();
    }

    HostRow get(long hostId) {
        return find(hostId).orElseThrow(() -> new UnknownItemException("operator.hosts.unknown", String.valueOf(hostId)));
    }

    /** What a drain or undrain did: the host's state afterwards, and whether it changed. */
    record Outcome(String hostName, String state, boolean changed, long liveSlices) {
    }

    @Transactional
    Outcome drain(PortalUser who, long hostId) {
        HostRow host = lock(hostId);
        if (host.draining()) {
            return new Outcome(host.name(), host.state(), false, host.liveSlices());
        }
        jdbc.sql("update host set state = 'DRAINING' where id = ?").param(hostId).update();
        audit.record(who, null, "host.drain", host.name(),
                "was " + host.status() + "; " + host.liveSlices() + " live slice(s) keep running, no new ones placed");
        return new Outcome(host.name(), "DRAINING", true, host.liveSlices());
    }

    /** Back to ONLINE when the agent still reports, else OFFLINE until it does (its next heartbeat makes it ONLINE). */
    @Transactional
    Outcome undrain(PortalUser who, long hostId) {
        HostRow host = lock(hostId);
        if (!host.draining()) {
            return new Outcome(host.name(), host.status(), false, host.liveSlices());
        }
        String state = host.reporting() ? "ONLINE" : "OFFLINE";
        jdbc.sql("update host set state = ? where id = ?").params(state, hostId).update();
        audit.record(who, null, "host.undrain", host.name(), "now " + state);
        return new Outcome(host.name(), state, true, host.liveSlices());
    }

    /** Locks the host row so a concurrent heartbeat (which keeps DRAINING) cannot interleave with the change. */
    private HostRow lock(long hostId) {
        jdbc.sql("select id from host where id = ? for update").param(hostId).query(Long.class).optional()
                .orElseThrow(() -> new UnknownItemException("operator.hosts.unknown", String.valueOf(hostId)));
        return get(hostId);
    }

}
