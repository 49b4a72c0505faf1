package io.vgpuhub.metering;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from timestamptz columns. The JDBC driver maps timestamptz to {@link OffsetDateTime}; a UTC offset
 * keeps the value independent of the JVM's and the session's time zones.
 */
public final class SqlTime {

    private SqlTime() {
    }

    /** The instant as a timestamptz parameter. */
    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** The column's timestamptz as an instant; null for SQL NULL. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    /** The column's timestamptz as an instant; null for SQL NULL. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
