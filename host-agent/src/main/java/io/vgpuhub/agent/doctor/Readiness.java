package io.vgpuhub.agent.doctor;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What {@code vgpuhub-agent doctor} found: host-wide checks first, then each GPU's, in PCI address order. Sent as the
 * {@code readiness} field of the agent's inventory report.
 *
 * @param checkedAt when the checks ran
 */
public record Readiness(Instant checkedAt, List<ReadinessCheck> checks) {

    public Readiness {
        checks = List.copyOf(checks);
    }

    /** Ready when no check FAILs. */
    @JsonIgnore
    public boolean ready() {
        return failures() == 0;
    }

    @JsonIgnore
    public long failures() {
        return count(ReadinessCheck.Status.FAIL);
    }

    @JsonIgnore
    public long warnings() {
        return count(ReadinessCheck.Status.WARN);
    }

    /** The same checks with another time: the agent keeps the first time a reading was seen while it does not change. */
    public boolean sameChecksAs(Readiness other) {
        return other != null && checks.equals(other.checks);
    }

    private long count(ReadinessCheck.Status status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }
}
