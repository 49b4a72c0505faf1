package io.vgpuhub.web.operator;

import java.time.Instant;
import io.vgpuhub.web.i18n.UtcFormat;



/**
 * A host as the operator sees it. {@code state} is what is stored; {@link #status()} is what it means now: a host
 * whose agent has gone quiet is offline whatever its row says, and a draining host stays draining.
 */
record HostRow(long id, String name, String state, Instant lastSeenAt, Long secondsSinceSeen, boolean reporting,
        String agentVersion, long gpus, long virtualFunctions, long liveSlices, String foreignDevices) {

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

    /** The message key for "n units ago", in a unit that keeps n readable. */
    public String agoKey() {
        long s = secondsSinceSeen == null ? 0 : Math.max(0, secondsSinceSeen);
        if (s < 120) {
            return "operator.ago.seconds";
        }
        if (s < 120 * 60) {
            return "operator.ago.minutes";
        }
        return s < 48 * 3600 ? "operator.ago.hours" : "operator.ago.days";
    }

    public long agoAmount() {
        long s = secondsSinceSeen == null ? 0 : Math.max(0, secondsSinceSeen);
        return switch (agoKey()) {
            case "operator.ago.seconds" -> s;
            case "operator.ago.minutes" -> s / 60;
            case "operator.ago.hours" -> s / 3600;
            default -> s / 86400;
        };
    }
}
