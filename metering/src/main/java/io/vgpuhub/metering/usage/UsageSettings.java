package io.vgpuhub.metering.usage;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.validation.annotation.Validated;

/**
 * How usage samples are kept.
 *
 * @param partitionsAhead  month partitions of usage_sample made ahead of time, after the current month's
 * @param rawRetention     raw samples older than this are dropped with their month partition; hourly rollups stay
 * @param maxClockSkew     how far ahead of the server's clock (and before its slice's creation) a sample may be dated
 * @param maintenanceCron  when the daily partition and retention job runs (six-field Spring cron, UTC)
 */
@ConfigurationProperties("vgpuhub.metering.usage")
@Validated
public record UsageSettings(
        @DefaultValue("3") @Min(0) @Max(36) int partitionsAhead,
        @DefaultValue("400d") @NotNull @DurationMin(days = 1) Duration rawRetention,
        @DefaultValue("5m") @NotNull @DurationMin(seconds = 0) @DurationMax(hours = 24) Duration maxClockSkew,
        @DefaultValue("0 17 3 * * *") @NotBlank String maintenanceCron) {

    public UsageSettings {
        if (maintenanceCron != null && !maintenanceCron.isBlank() && !CronExpression.isValidExpression(maintenanceCron)) {
            throw new IllegalArgumentException("vgpuhub.metering.usage.maintenance-cron '" + maintenanceCron
                    + "' is not a cron expression (six fields: second minute hour day month weekday)");
        }
    }
}
