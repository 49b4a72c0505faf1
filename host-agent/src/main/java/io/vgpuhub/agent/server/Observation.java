package io.vgpuhub.agent.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Body of {@code POST /api/agent/v1/slices/{sliceId}/observed}. */
public record Observation(String state, UUID mdevUuid, String reason) {

    public static Observation ready(UUID mdevUuid) {
        return new Observation("READY", mdevUuid, null);
    }

    public static Observation failed(String reason) {
        return new Observation("FAILED", null, reason);
    }

    public static Observation absent() {
        return new Observation("ABSENT", null, null);
    }

    /** The exact JSON shapes of the contract: READY carries mdevUuid and reason (null), FAILED a reason, ABSENT only the state. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        switch (state) {
            case "READY" -> {
                body.put("mdevUuid", mdevUuid.toString());
                body.put("reason", null);
            }
            case "FAILED" -> body.put("reason", reason);
            default -> {
            }
        }
        return body;
    }
}
