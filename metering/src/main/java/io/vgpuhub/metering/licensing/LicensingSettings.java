package io.vgpuhub.metering.licensing;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param leaseGrace    a seat lease whose host has not reported for this long expires and its seat returns
 * @param renewInterval a host's leases are renewed at most this often, however often its agent calls (0: every call)
 */
@ConfigurationProperties("vgpuhub.licensing")
@Validated
public record LicensingSettings(
        @DefaultValue("15m") @NotNull @DurationMin(seconds = 1) Duration leaseGrace,
        @DefaultValue("10s") @NotNull @DurationMin(seconds = 0) Duration renewInterval) {

    /** A lease must survive the pause between two renewals, or a reporting host would lose its seats. */
    @AssertTrue(message = "lease-grace must be longer than renew-interval")
    public boolean isGraceLongerThanRenewal() {
        return leaseGrace == null || renewInterval == null || leaseGrace.compareTo(renewInterval) > 0;
    }
}
