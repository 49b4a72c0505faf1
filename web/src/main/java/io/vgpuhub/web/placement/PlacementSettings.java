package io.vgpuhub.web.placement;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param hostOfflineAfter a host whose agent has not been heard from for this long is treated as offline
 *                         and gets no new slices
 * @param policy           PACK (least fragmentation, the default) or SPREAD (least used GPUs and hosts first)
 */
@ConfigurationProperties("vgpuhub.placement")
public record PlacementSettings(@DefaultValue("90s") Duration hostOfflineAfter,
        @DefaultValue("PACK") PlacementPolicy policy) {

    public PlacementSettings {
        if (hostOfflineAfter == null || hostOfflineAfter.isNegative() || hostOfflineAfter.isZero()) {
            throw new IllegalArgumentException(
                    "vgpuhub.placement.host-offline-after must be a positive duration (e.g. 90s), was " + hostOfflineAfter);
        }
        if (policy == null) {
            throw new IllegalArgumentException("vgpuhub.placement.policy must be PACK or SPREAD");
        }
    }

    /** {@link #hostOfflineAfter} in seconds with their fractions, for SQL's {@code make_interval(secs => ...)}. */
    public double hostOfflineAfterSeconds() {
        return hostOfflineAfter.toMillis() / 1000.0;
    }
}
