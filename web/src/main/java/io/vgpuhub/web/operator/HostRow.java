package io.vgpuhub.web.operator;

import java.time.Instant;

import io.vgpuhub.web.i18n.UtcFormat;

/**
 * A host as the operator sees it. {@code state} is what is stored; {@link #status()} is what it means now: a host
 * whose agent has gone quiet is offline whatever its row says, and a draining host stays draining.
 *
 * @param readinessReported whether the host's agent sent readiness checks with its last inventory report
 * @param readinessFailures how many of them failed
 * @param readinessWarnings how many of them warned
 * @param tokenRevoked whether an operator revoked the host's agent token (its agent is refused until a new one)
 */
record HostRow(long id, String name, String state, Instant lastSeenAt, Long secondsSinceSeen, boolean reporting,
        String agentVersion, long gpus, long virtualFunctions, long liveSlices, String foreignDevices,
        boolean readinessReported, long readinessFailures, long readinessWarnings, boolean tokenRevoked) {

    public String status() {
        if ("DRAINING".equals(state)) {
            return "DRAINING";
        }
        return reporting && "ONLINE".equals(state) ? "ONLINE" : "OFFLINE";
    }

    public boolean draining() {
        return "DRAINING".equals(state);
    }

    public String lastSeenUtc() {
        return UtcFormat.second(lastSeenAt);
    }

    /** "n units ago" since the last heartbeat. */
    public Ago seenAgo() {
        return Ago.of(secondsSinceSeen);
    }

    /**
     * What the badge of the host's readiness says: NOT_REPORTED (its agent sent no checks), FAIL (a check failed: not
     * ready), WARN (ready, with warnings) or READY.
     */
    public String readiness() {
        if (!readinessReported) {
            return "NOT_REPORTED";
        }
        if (readinessFailures > 0) {
            return "FAIL";
        }
        return readinessWarnings > 0 ? "WARN" : "READY";
    }
}
