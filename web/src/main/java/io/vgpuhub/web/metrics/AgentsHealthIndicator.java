package io.vgpuhub.web.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 *
 * <p>It reads nothing itself: it shows what {@link ClusterGauges} last read (every {@code vgpuhub.metrics.refresh-interval}),
 * and says when that was in {@code readAt}, so that anonymous callers hitting the public health endpoint cost the
 * database nothing.
 */
@Component
class AgentsHealthIndicator implements HealthIndicator {

    private final ClusterGauges gauges;
    private final PlacementSettings placement;
    private final MetricsSettings metrics;

    AgentsHealthIndicator(ClusterGauges gauges, PlacementSettings placement, MetricsSettings metrics) {
        this.gauges = gauges;
        this.placement = placement;
        this.metrics = metrics;
    }

    @Override
    public Health health() {
        Optional<ClusterGauges.Agents> read = gauges.agents();
        if (read.isEmpty()) {
            return Health.up().withDetail("readAt", "not yet read").build();
        }
        ClusterGauges.Agents agents = read.get();
        HostStates.Counts counts = agents.counts();
        List<Map<String, Object>> silent = agents.silentHosts().stream()
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
                .withDetail("readAt", agents.readAt().toString())
                .withDetail("readEvery", metrics.refreshInterval().toString())
                .build();
    }
}
