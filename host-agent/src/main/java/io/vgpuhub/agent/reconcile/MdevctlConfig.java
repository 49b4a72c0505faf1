package io.vgpuhub.agent.reconcile;

import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One mdev definition in mdevctl's configuration file format ({@code /etc/mdevctl.d/<parent>/<uuid>}, mdevctl.rst
 * "CONFIGURATION FILE FORMAT"): {@code {"mdev_type":"nvidia-557","start":"auto","attrs":[]}}. The agent writes no
 * vendor attributes, so {@code attrs} is always empty; mdevctl rejects a file without {@code mdev_type} or {@code start}.
 */
record MdevctlConfig(String mdevType, String start) {

    static final String AUTO = "auto";

    MdevctlConfig {
        Objects.requireNonNull(mdevType, "mdevType");
        if (!AUTO.equals(start) && !"manual".equals(start)) {
            throw new IllegalArgumentException("start must be auto or manual: " + start);
        }
    }

    static MdevctlConfig autostart(String mdevType) {
        return new MdevctlConfig(mdevType, AUTO);
    }

    /** Exactly the bytes mdevctl expects, with a trailing newline. Type ids are validated names, so no escaping is needed. */
    String toJson() {
        if (!mdevType.matches("^[A-Za-z0-9_.-]+$")) {
            throw new IllegalArgumentException("not an mdev type id: " + mdevType);
        }
        return "{\"mdev_type\":\"" + mdevType + "\",\"start\":\"" + start + "\",\"attrs\":[]}\n";
    }

    static MdevctlConfig parse(String text, JsonMapper json) {
        JsonNode node = json.readTree(text);
        JsonNode type = node.get("mdev_type");
        JsonNode start = node.get("start");
        if (type == null || !type.isString() || start == null || !start.isString()) {
            throw new IllegalArgumentException("not an mdevctl config (needs mdev_type and start)");
        }
        return new MdevctlConfig(type.asString(), start.asString());
    }
}
