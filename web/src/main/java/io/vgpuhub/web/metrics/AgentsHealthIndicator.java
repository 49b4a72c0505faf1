package io.vgpuhub.web.metrics;

import java.util.List;
import java.util.Map;

import io.vgpuhub.web.placement.PlacementSettings;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code agents} health component: how many hosts are online, offline and draining, and which hosts' agents
 * have been silent longer than {@code vgpuhub.placement.host-offline-after}.
 *
 * <p>It is always UP. A silent agent is a fault of that host, not of this server: another replica would see the same
 * silence, so a load balancer that took replicas out over it would pull every one of them and leave the portal and
 * the other hosts' agents without a server. Alert on {@code vgpuhub_agents{state="offline"}} instead; the details
 * here say which hosts to look at. The component belongs to neither the liveness nor the readiness group.
 */
@Component
class AgentsHealthIndicator implements HealthIndicator {

    /** Enough names to act on; the count says how many there are in all. */
    static final int LISTED = 10;

    private final HostStates hosts;
    private final PlacementSettings placement;

    AgentsHealthIndicator(HostStates hosts, PlacementSettings placement) {
        this.hosts = hosts;
        this.placement = placement;
    }

    @Override
    public Health health() {
        HostStates.Counts counts = hosts.counts();
        List<Map<String, Object>> silent = hosts.silent(LISTED).stream()
                .map(host -> Map.<String, Object>of("host", host.name(), "state", host.state(),
                        "lastSeenAt", host.lastSeenAt() == null ? "never" : host.lastSeenAt().toString()))
                .toList();
        return Health.up()
                .withDetail("online", counts.online())
                .withDetail("offline", counts.offline())
                .withDetail("draining", counts.draining())
                .withDetail("silentAfter", placement.hostOfflineAfter().toString())
                .withDetail("silent", counts.silent())
                .withDetail("silentHosts", silent)
                .build();
    }
}
