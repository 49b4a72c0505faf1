package io.vgpuhub.metering.usage.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** vgpuhub.metering.allocation.*: a sensible default, and nonsense refused at startup. */
class AllocationSettingsTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AllocationSettings.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void theRollupRunsEveryMinuteByDefault() {
        context.run(started -> assertThat(started.getBean(AllocationSettings.class))
                .isEqualTo(new AllocationSettings(Duration.ofMinutes(1))));
    }

    @Test
    void theIntervalIsReadFromTheEnvironment() {
        context.withPropertyValues("vgpuhub.metering.allocation.interval=15s")
                .run(started -> assertThat(started.getBean(AllocationSettings.class).interval())
                        .isEqualTo(Duration.ofSeconds(15)));
    }

    @Test
    void anIntervalUnderASecondIsRefused() {
        context.withPropertyValues("vgpuhub.metering.allocation.interval=100ms")
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause().hasMessageContaining("interval"));
    }
}
