package io.vgpuhub.web.inventory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.vgpuhub.web.audit.AuditEvents;
import io.vgpuhub.web.placement.PlacementSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whether a host's agent is reporting. Every agent request is a sign of life and brings an OFFLINE host back ONLINE;
 * a scheduled check marks hosts OFFLINE once they have been silent for {@code vgpuhub.placement.host-offline-after}.
 * A DRAINING host stays DRAINING either way: draining is the operator's decision, not the agent's.
 */
@Service
public class HostLiveness {

    private static final Logger log = LoggerFactory.getLogger(HostLiveness.class);

    private final JdbcClient jdbc;
    private final PlacementSettings placement;
    private final AuditEvents auditEvents;

    HostLiveness(JdbcClient jdbc, PlacementSettings placement, AuditEvents auditEvents) {
        this.auditEvents = auditEvents;
        this.jdbc = jdbc;
        this.placement = placement;
    }

    /** @param agentVersion the version the agent announced, or null to keep the recorded one */
    @Transactional
    public void heardFrom(long hostId, String agentVersion) {
        record Change(String name, String before, String after) {
        }
        Change change = jdbc.sql("""
                update host h set last_seen_at = now(), agent_version = coalesce(:version, h.agent_version),
                       state = case when h.state = 'DRAINING' then h.state else 'ONLINE' end
                from (select id, state from host where id = :id for update) before
                where h.id = before.id
                returning h.name, before.state as before, h.state as after
                """).param("version", agentVersion).param("id", hostId).query(Change.class).single();
        if (!change.before().equals(change.after())) {
            log.info("host {} is {} again: its agent reports", change.name(), change.after());
            audit("agent:" + change.name(), "host.online", change.name(), "its agent reports again");
        }
    }

    /** Marks ONLINE hosts OFFLINE whose agents have been silent since before {@code now - host-offline-after}. */
    @Transactional
    public List<String> markSilentHostsOffline(Instant now) {
        Instant silentSince = now.minus(placement.hostOfflineAfter());
        List<String> offline = jdbc.sql("""
                update host set state = 'OFFLINE'
                where state = 'ONLINE' and (last_seen_at is null or last_seen_at < ?)
                returning name
                """).param(Timestamp.from(silentSince)).query(String.class).list();
        for (String host : offline) {
            log.warn("host {} is OFFLINE: its agent has not reported for {}", host, placement.hostOfflineAfter());
            audit("server", "host.offline", host, "no report from its agent for " + placement.hostOfflineAfter().toSeconds() + " s");
        }
        return offline;
    }

    private void audit(String actor, String action, String host, String detail) {
        auditEvents.record(actor, null, action, "host " + host, detail);
    }
}
