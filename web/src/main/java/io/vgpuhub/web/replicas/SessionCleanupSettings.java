package io.vgpuhub.web.replicas;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param cleanupInterval how often expired portal sessions are deleted from PostgreSQL (once across all replicas)
 */
@ConfigurationProperties("vgpuhub.sessions")
@Validated
record SessionCleanupSettings(@DefaultValue("1m") @NotNull @DurationMin(millis = 100) Duration cleanupInterval) {
}
