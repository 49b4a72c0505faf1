package io.vgpuhub.metering.licensing.report;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param exhaustionWarningPercent an edition is shown close to exhaustion once this share of its entitled seats is
 *        in use (or when at most one seat is left)
 * @param mismatchAfter how long a slice may hold a seat while its guest does not report LICENSED before it is shown
 *        as a mismatch (a guest needs some time to boot and check out its license)
 */
@Validated
@ConfigurationProperties("vgpuhub.licensing.report")
public record LicenseReportSettings(
        @DefaultValue("90") @Min(1) @Max(100) int exhaustionWarningPercent,
        @DefaultValue("10m") @NotNull Duration mismatchAfter) {

    public LicenseReportSettings {
        if (mismatchAfter != null && (mismatchAfter.isNegative() || mismatchAfter.isZero())) {
            throw new IllegalArgumentException("vgpuhub.licensing.report.mismatch-after must be positive, was " + mismatchAfter);
        }
    }
}
