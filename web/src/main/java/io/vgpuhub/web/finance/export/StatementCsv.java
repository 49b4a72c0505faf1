package io.vgpuhub.web.finance.export;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.Money;
import io.vgpuhub.metering.chargeback.SliceShowback;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.StatementLine;

/**
 * Statements as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted only when they hold a comma, quote or
 * line break, UTF-8 without a byte order mark). One fixed column set, documented in the README, whatever the month or
 * the reader's language: a header row, then per statement its slice lines and then its adjustments. Numbers use a dot
 * and fixed decimals (amounts at the currency's minor unit, rates and hours four, seat seconds three), instants
 * ISO-8601 UTC; an empty field is a value that does not apply. Totals are not rows: they are the sum of the amount
 * column. Tenant names and reasons that start like a spreadsheet formula get a leading apostrophe. Nothing here depends on the time of rendering, so a closed month renders to the same bytes every time.
 */
final class StatementCsv {

    static final List<String> COLUMNS = List.of("month", "status", "currency", "tenant_id", "tenant", "cost_centre",
            "line_type", "slice_uuid", "vm_name", "offering", "period_start", "period_end", "allocated_seconds", "hours",
            "rate_per_hour", "allocation_amount", "edition", "seat_seconds", "seat_hours", "seat_rate_per_hour",
            "seat_amount", "amount", "utilization_mean_percent", "utilization_peak_percent", "memory_peak_mib", "reason",
            "corrects_month");

    private static final String CRLF = "\r\n";

    private StatementCsv() {
    }

    static String of(List<Statement> statements) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append(CRLF);
        statements.forEach(statement -> append(csv, statement));
        return csv.toString();
    }

    private static void append(StringBuilder csv, Statement statement) {
        Map<Long, SliceShowback> showback = new HashMap<>();
        statement.showback().forEach(slice -> showback.put(slice.sliceId(), slice));
        for (StatementLine line : statement.lines()) {
            SliceShowback usage = showback.get(line.sliceId());
            row(csv, statement, line.costCentre().path(), "SLICE",
                    line.sliceUuid().toString(), line.vmName(), line.offeringCode(),
                    instant(line.periodStart()), instant(line.periodEnd()),
                    Long.toString(line.allocatedSeconds()), line.hours().toPlainString(),
                    rate(line.ratePerHour()), money(line.allocationAmount(), statement),
                    line.edition() == null ? "" : line.edition().name(),
                    line.seatSeconds().setScale(3).toPlainString(), line.seatHours().toPlainString(),
                    rate(line.seatRatePerHour()), money(line.seatAmount(), statement),
                    money(line.amount(), statement),
                    usage == null || usage.meanUtilization() == null ? "" : usage.meanUtilization().setScale(2).toPlainString(),
                    usage == null || usage.peakUtilization() == null ? "" : usage.peakUtilization().toString(),
                    usage == null || usage.peakMemoryMib() == null ? "" : usage.peakMemoryMib().toString(),
                    "", "");
        }
        for (Adjustment adjustment : statement.adjustments()) {
            row(csv, statement, adjustment.costCentre().path(), "ADJUSTMENT",
                    "", "", "", "", "", "", "", "", "", "", "", "", "", "",
                    money(adjustment.amount(), statement), "", "", "",
                    text(adjustment.reason()), adjustment.correctsMonth() == null ? "" : adjustment.correctsMonth().toString());
        }
    }

    private static void row(StringBuilder csv, Statement statement, String... fields) {
        csv.append(statement.month()).append(',')
                .append(statement.status().name()).append(',')
                .append(statement.currency() == null ? "" : statement.currency()).append(',')
                .append(statement.tenant().id()).append(',')
                .append(field(text(statement.tenant().name())));
        for (String field : fields) {
            csv.append(',').append(field(field));
        }
        csv.append(CRLF);
    }

    private static String money(BigDecimal amount, Statement statement) {
        return Money.scaled(amount, statement.currency()).toPlainString();
    }

    private static String rate(BigDecimal rate) {
        return rate == null ? "" : rate.setScale(4).toPlainString();
    }

    private static String instant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /**
     * Free text that a spreadsheet would run as a formula (first character =, +, -, @, tab or CR) gets a leading
     * apostrophe, as OWASP advises against CSV injection; codes and numbers never start so.
     */
    static String text(String value) {
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    static String field(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
