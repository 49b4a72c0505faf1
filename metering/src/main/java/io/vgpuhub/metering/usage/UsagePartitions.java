package io.vgpuhub.metering.usage;

import static io.vgpuhub.metering.SqlTime.utc;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The month partitions of usage_sample (UTC months, named usage_sample_yYYYYmMM). Each is created by the SQL function
 * usage_sample_ensure_partition in a short transaction of its own: creating a partition locks the parent table, which
 * should not be held for the length of an ingest. Months this JVM has made sure of are remembered, so a batch costs no
 * DDL round trip once its month exists.
 */
@Component
class UsagePartitions {

    private static final Pattern NAME = Pattern.compile("usage_sample_y(\\d{4})m(\\d{2})");

    private final JdbcClient jdbc;
    private final Set<YearMonth> known = ConcurrentHashMap.newKeySet();

    UsagePartitions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static YearMonth monthOf(Instant instant) {
        return YearMonth.from(utc(instant));
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** Makes sure every month has its partition; asks the database only about months not yet known here. */
    void ensure(Collection<YearMonth> months) {
        for (YearMonth month : months) {
            if (!known.contains(month)) {
                jdbc.sql("select usage_sample_ensure_partition(?)").param(utc(start(month)))
                        .query(String.class).single();
                known.add(month);
            }
        }
    }

    /** The months that have a partition, from the catalog (pg_inherits), oldest first. */
    List<YearMonth> existing() {
        return jdbc.sql("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'usage_sample'::regclass
                """).query(String.class).list().stream()
                .map(UsagePartitions::parse).flatMap(Optional::stream).sorted().toList();
    }

    /**
     * Drops a month's partition and its samples. Takes the same advisory lock as usage_sample_ensure_partition, so a
     * partition is never dropped while another server creates it; must run inside a transaction.
     */
    void drop(YearMonth month) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('usage_sample_partitions'))").query().listOfRows();
        // The name is built from two numbers, never from input.
        jdbc.sql("drop table if exists " + name(month)).update();
        known.remove(month);
    }

    static String name(YearMonth month) {
        return "usage_sample_y%04dm%02d".formatted(month.getYear(), month.getMonthValue());
    }

    private static Optional<YearMonth> parse(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() ? Optional.of(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))))
                : Optional.empty();
    }
}
