package io.vgpuhub.web.licenses;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * License pages show instants in UTC, the zone entitlements and the usage report are counted in: a day alone when the
 * instant is midnight (as entitlements entered by day are), else day and minute.
 */
public final class UtcFormat {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    public String instant(Instant at) {
        if (at == null) {
            return "";
        }
        return at.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT) ? DAY.format(at) : MINUTE.format(at);
    }

    public String minute(Instant at) {
        return at == null ? "" : MINUTE.format(at);
    }

    static LocalDate day(Instant at) {
        return at == null ? null : LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    static Instant startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
