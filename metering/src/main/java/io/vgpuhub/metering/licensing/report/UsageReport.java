package io.vgpuhub.metering.licensing.report;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** License seat use per edition over [from, to): the figures a true-up with NVIDIA needs. */
public record UsageReport(Instant from, Instant to, List<EditionUsage> editions) {

    private static final String HEADER = "edition,edition_name,period_start,period_end,peak_concurrent_seats,"
            + "average_concurrent_seats,entitled_seats_max,entitled_seats_at_end,peak_unlicensed_slices";

    /**
     * The report as CSV (RFC 4180, CRLF line ends): a header row, then one row per edition. Instants in ISO-8601 UTC
     * (2025-03-01T00:00:00Z), the average with a dot and two decimals whatever the reader's locale.
     */
    public String csv() {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (EditionUsage row : editions) {
            csv.append(row.edition().name()).append(',')
                    .append(field(row.name())).append(',')
                    .append(DateTimeFormatter.ISO_INSTANT.format(from)).append(',')
                    .append(DateTimeFormatter.ISO_INSTANT.format(to)).append(',')
                    .append(row.peakSeats()).append(',')
                    .append(row.averageSeats().toPlainString()).append(',')
                    .append(row.entitledMax()).append(',')
                    .append(row.entitledAtEnd()).append(',')
                    .append(row.peakFlagged()).append("\r\n");
        }
        return csv.toString();
    }

    private static String field(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
