package io.vgpuhub.web.agentapi;

import java.util.List;
import java.util.UUID;

/** A usage batch names slices that are not on the sending host (unknown, or another host's); nothing was stored. */
class UnknownSlicesException extends RuntimeException {

    UnknownSlicesException(List<UUID> slices) {
        super((slices.size() == 1 ? "No slice " : "No slices ") + slices.stream().map(UUID::toString)
                .reduce((a, b) -> a + ", " + b).orElseThrow());
    }
}
