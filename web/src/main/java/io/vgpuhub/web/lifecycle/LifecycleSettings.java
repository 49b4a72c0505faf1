package io.vgpuhub.web.lifecycle;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param provisioningTimeout a slice that has not become READY this long after it was placed goes FAILED
 * @param checkInterval       how often the server looks for such slices and for hosts that stopped reporting
 */
@ConfigurationProperties("vgpuhub.lifecycle")
@Validated
public record LifecycleSettings(
        @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) Duration provisioningTimeout,
        @DefaultValue("15s") @NotNull @DurationMin(millis = 100) Duration checkInterval) {
}
