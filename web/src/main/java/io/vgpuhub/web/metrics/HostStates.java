package io.vgpuhub.web.metrics;

import java.time.Instant;
import java.util.List;

import io.vgpuhub.web.placement.PlacementSettings;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Hosts by whether their agents report, as the hosts page and placement judge it: a host is online only while its row
 * says ONLINE and its agent was heard from within {@code vgpuhub.placement.host-offline-after}; a draining host
 * counts as draining whether it reports or not; every other host is offline (so a host goes offline here as soon as
 * its agent falls silent, before the scheduled check rewrites its row).
 */
@Component
class HostStates {

    /** Host counts by state, and how many hosts (of any state) have silent agents. */
    record Counts(long online, long offline, long draining, long silent) {
    }

    /** A host whose agent has not been heard from within the offline threshold (never, when lastSeenAt is null). */
    record SilentHost(String name, String state, Instant lastSeenAt) {
    }

    private final JdbcClient jdbc;
    private final PlacementSettings placement;

    HostStates(JdbcClient jdbc, PlacementSettings placement) {
        this.jdbc = jdbc;
        this.placement = placement;
    }

    Counts counts() {
        return jdbc.sql("""
                select count(*) filter (where state = 'ONLINE' and last_seen_at > now() - make_interval(secs => :after)) as online,
                       count(*) filter (where state <> 'DRAINING'
                                        and not coalesce(state = 'ONLINE' and last_seen_at > now() - make_interval(secs => :after), false))
                           as offline,
                       count(*) filter (where state = 'DRAINING') as draining,
                       count(*) filter (where last_seen_at is null or last_seen_at <= now() - make_interval(secs => :after))
                           as silent
                from host
                """).param("after", placement.hostOfflineAfterSeconds()).query(Counts.class).single();
    }

    /** The silent hosts, longest silent first (never-seen hosts first of all), at most {@code limit}. */
    List<SilentHost> silent(int limit) {
        return jdbc.sql("""
                select name, state, last_seen_at from host
                where last_seen_at is null or last_seen_at <= now() - make_interval(secs => :after)
                order by last_seen_at nulls first, name limit :limit
                """).param("after", placement.hostOfflineAfterSeconds()).param("limit", limit).query(SilentHost.class).list();
    }
}
