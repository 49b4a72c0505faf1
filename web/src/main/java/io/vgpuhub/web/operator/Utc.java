package io.vgpuhub.web.operator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Operator pages show every time in UTC, whatever the server's or the browser's zone, so hosts and logs line up. */
final class Utc {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private Utc() {
    }

    static String format(Instant at) {
        return at == null ? null : FORMAT.format(at);
    }
}
