package io.vgpuhub.web.metrics;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param refreshInterval how often each replica reads the database-backed gauges (slices, free capacity, seats,
 *                        agents) again; a scrape reports the values of the last refresh
 */
@ConfigurationProperties("vgpuhub.metrics")
@Validated
record MetricsSettings(@DefaultValue("15s") @NotNull @DurationMin(seconds = 1) Duration refreshInterval) {
}
