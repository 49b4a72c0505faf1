package io.vgpuhub.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;

class UsageSettingsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Enabled.class);

    @EnableConfigurationProperties(UsageSettings.class)
    static class Enabled {
    }

    @Test
    void defaultsKeepRawSamples400DaysWithThreeMonthsOfPartitionsAhead() {
        runner.run(context -> assertThat(context.getBean(UsageSettings.class))
                .isEqualTo(new UsageSettings(3, Duration.ofDays(400), Duration.ofMinutes(5), "0 17 3 * * *")));
    }

    @Test
    void refusesNonsenseWithTheSettingsName() {
        runner.withPropertyValues("vgpuhub.metering.usage.partitions-ahead=-1")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("partitionsAhead"));
        assertThatThrownBy(() -> new UsageSettings(3, Duration.ofDays(400), Duration.ofMinutes(5), "every day"))
                .hasMessageContaining("vgpuhub.metering.usage.maintenance-cron 'every day' is not a cron expression");
    }
}
