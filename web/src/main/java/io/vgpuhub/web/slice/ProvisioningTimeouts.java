package io.vgpuhub.web.slice;

import java.time.Duration;
import java.time.Instant;

import io.vgpuhub.web.lifecycle.LifecycleSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Fails slices whose host did not create their device within {@code vgpuhub.lifecycle.provisioning-timeout} of their
 * placement (the agent is down, or stuck), so the tenant gets an answer and the place is freed on release.
 */
@Component
public class ProvisioningTimeouts {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningTimeouts.class);
    static final String ACTOR = "timeout";

    private final SliceLifecycle lifecycle;
    private final Duration timeout;

    ProvisioningTimeouts(SliceLifecycle lifecycle, LifecycleSettings settings) {
        this.lifecycle = lifecycle;
        this.timeout = settings.provisioningTimeout();
    }

    /** @return how many slices went FAILED */
    public int failStuckSlices(Instant now) {
        int failed = lifecycle.failPlacedBefore(now.minus(timeout), ACTOR, "the host did not create the device within "
                + describe(timeout));
        if (failed > 0) {
            log.warn("{} slice(s) FAILED: their hosts did not create them within {}", failed, describe(timeout));
        }
        return failed;
    }

    /** "5m", "90s" as "1m30s", "1h": how the setting is usually written. */
    static String describe(Duration duration) {
        StringBuilder text = new StringBuilder();
        if (duration.toHours() > 0) {
            text.append(duration.toHours()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0 || text.isEmpty()) {
            text.append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
    }
}
