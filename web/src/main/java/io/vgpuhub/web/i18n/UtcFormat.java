package io.vgpuhub.web.i18n;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Operator and license pages show instants in UTC, whatever the server's or the browser's zone, so hosts, logs,
 * entitlements and the usage report line up. License pages show a day alone when the instant is midnight (as
 * entitlements entered by day are), else day and minute; operator pages show the second.
 */
public final class UtcFormat {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** For page advices that hand templates an instance to call the static methods on. */
    public UtcFormat() {
    }

    public static String instant(Instant at) {
        if (at == null) {
            return "";
        }
        return at.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT) ? DAY.format(at) : MINUTE.format(at);
    }

    public static String minute(Instant at) {
        return at == null ? "" : MINUTE.format(at);
    }

    /** Day and second without a zone suffix (operator pages say "UTC" in their own words). */
    public static String second(Instant at) {
        return at == null ? "" : SECOND.format(at);
    }

    public static LocalDate day(Instant at) {
        return at == null ? null : LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    public static Instant startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
