package io.vgpuhub.metering.usage.allocation;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param interval how often the server writes slices' allocated seconds into their hourly rows; the current hour of a
 *                 running slice lags by at most this much
 */
@ConfigurationProperties("vgpuhub.metering.allocation")
@Validated
public record AllocationSettings(@DefaultValue("1m") @NotNull @DurationMin(seconds = 1) Duration interval) {
}
