package io.vgpuhub.web.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** vgpuhub.placement.*: defaults, the policy switch, and clear refusals of bad values at startup. */
class PlacementSettingsTests {

    @Configuration
    @EnableConfigurationProperties(PlacementSettings.class)
    static class WithSettings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(WithSettings.class);

    @Test
    void theDefaultIsToPackAndToTreatAHostSilentFor90SecondsAsOffline() {
        context.run(c -> assertThat(c.getBean(PlacementSettings.class))
                .isEqualTo(new PlacementSettings(Duration.ofSeconds(90), PlacementPolicy.PACK)));
    }

    @Test
    void theSpreadPolicyCanBeChosen() {
        context.withPropertyValues("vgpuhub.placement.policy=spread")
                .run(c -> assertThat(c.getBean(PlacementSettings.class).policy()).isEqualTo(PlacementPolicy.SPREAD));
    }

    @Test
    void anUnknownPolicyStopsTheStartWithTheValuesThatWork() {
        context.withPropertyValues("vgpuhub.placement.policy=round-robin").run(c -> assertThat(c).hasFailed()
                .getFailure().rootCause().hasMessageContaining("round-robin"));
    }

    @Test
    void aHostOfflineAfterThatIsNotPositiveIsRefused() {
        context.withPropertyValues("vgpuhub.placement.host-offline-after=0s").run(c -> assertThat(c).hasFailed()
                .getFailure().rootCause().hasMessageContaining("vgpuhub.placement.host-offline-after must be a positive"));
    }
}
