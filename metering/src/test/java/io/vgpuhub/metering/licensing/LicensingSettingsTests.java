package io.vgpuhub.metering.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** vgpuhub.licensing.*: defaults that make sense, and nonsense refused at startup. */
class LicensingSettingsTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LicensingSettings.class)
    static class Settings {
    }

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void leasesLastFifteenMinutesWithoutAReportAndAreRenewedAtMostEveryTenSeconds() {
        context.run(started -> assertThat(started.getBean(LicensingSettings.class))
                .isEqualTo(new LicensingSettings(Duration.ofMinutes(15), Duration.ofSeconds(10))));
    }

    @Test
    void theyAreReadFromTheEnvironment() {
        context.withPropertyValues("vgpuhub.licensing.lease-grace=2m", "vgpuhub.licensing.renew-interval=0s")
                .run(started -> assertThat(started.getBean(LicensingSettings.class))
                        .isEqualTo(new LicensingSettings(Duration.ofMinutes(2), Duration.ZERO)));
    }

    @Test
    void aGraceNoLongerThanTheRenewalIntervalIsRefused() {
        context.withPropertyValues("vgpuhub.licensing.lease-grace=10s", "vgpuhub.licensing.renew-interval=10s")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("lease-grace must be longer than renew-interval"));
    }

    @Test
    void aGraceOfZeroIsRefused() {
        context.withPropertyValues("vgpuhub.licensing.lease-grace=0s", "vgpuhub.licensing.renew-interval=0s")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("leaseGrace"));
    }
}
