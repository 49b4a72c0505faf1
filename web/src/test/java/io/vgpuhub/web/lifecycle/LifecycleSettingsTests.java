package io.vgpuhub.web.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** vgpuhub.lifecycle.*: defaults that make sense, and nonsense refused at startup. */
class LifecycleSettingsTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LifecycleSettings.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void theDefaultsAreFiveMinutesToProvisionCheckedEveryFifteenSeconds() {
        context.run(started -> assertThat(started.getBean(LifecycleSettings.class))
                .isEqualTo(new LifecycleSettings(Duration.ofMinutes(5), Duration.ofSeconds(15))));
    }

    @Test
    void theyAreReadFromTheEnvironment() {
        context.withPropertyValues("vgpuhub.lifecycle.provisioning-timeout=90s", "vgpuhub.lifecycle.check-interval=2s")
                .run(started -> assertThat(started.getBean(LifecycleSettings.class))
                        .isEqualTo(new LifecycleSettings(Duration.ofSeconds(90), Duration.ofSeconds(2))));
    }

    @Test
    void aTimeoutOfZeroIsRefused() {
        context.withPropertyValues("vgpuhub.lifecycle.provisioning-timeout=0s")
                .run(started -> assertThat(started).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("provisioningTimeout"));
    }
}
