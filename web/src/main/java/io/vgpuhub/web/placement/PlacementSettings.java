package io.vgpuhub.web.placement;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param hostOfflineAfter a host whose agent has not been heard from for this long is treated as offline
 *                         and gets no new slices
 */
@ConfigurationProperties("vgpuhub.placement")
public record PlacementSettings(@DefaultValue("90s") Duration hostOfflineAfter) {
}
