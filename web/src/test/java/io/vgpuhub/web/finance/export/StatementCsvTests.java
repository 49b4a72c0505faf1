package io.vgpuhub.web.finance.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.vgpuhub.metering.chargeback.StatementStatus;

import org.junit.jupiter.api.Test;

class StatementCsvTests {

    private static final String HEADER = "month,status,currency,tenant_id,tenant,cost_centre,line_type,slice_uuid,vm_name,"
            + "offering,period_start,period_end,allocated_seconds,hours,rate_per_hour,allocation_amount,edition,seat_seconds,"
            + "seat_hours,seat_rate_per_hour,seat_amount,amount,utilization_mean_percent,utilization_peak_percent,"
            + "memory_peak_mib,reason,corrects_month\r\n";

    @Test
    void aStatementIsItsLinesThenItsAdjustmentsInTheDocumentedColumns() {
        String csv = StatementCsv.of(List.of(StatementSamples.acme()));

        assertThat(csv).isEqualTo(HEADER
                + "2026-10,CLOSED,EUR,3,\"Acme \"\"Labs\"\"\",CC-4711,SLICE,00000000-0000-0000-0000-00000000000a,cad-01,"
                + "A40-8Q,2026-10-03T08:00:00Z,2026-10-04T20:30:00Z,131400,36.5000,0.7500,27.38,VWS,131400.000,36.5000,"
                + "0.1500,5.48,32.86,12.50,71,3000,,\r\n"
                + "2026-10,CLOSED,EUR,3,\"Acme \"\"Labs\"\"\",CC-4711/ML,SLICE,00000000-0000-0000-0000-00000000000b,train-7,"
                + "A40-24C,2026-10-10T00:00:00Z,2026-10-10T10:00:00Z,36000,10.0000,2.4000,24.00,VCS,18000.000,5.0000,"
                + "0.3000,1.50,25.50,88.00,100,23000,,\r\n"
                + "2026-10,CLOSED,EUR,3,\"Acme \"\"Labs\"\"\",CC-4711/ML,ADJUSTMENT,,,,,,,,,,,,,,,-3.50,,,,"
                + "\"'=Outage credit, \"\"ticket\"\" 42\",2026-09\r\n");
    }

    @Test
    void theAmountColumnAddsUpToTheStatementTotal() {
        String csv = StatementCsv.of(List.of(StatementSamples.acme()));
        int amount = StatementCsv.COLUMNS.indexOf("amount");

        BigDecimal sum = csv.lines().skip(1).map(StatementCsvTests::fieldsOf)
                .map(fields -> new BigDecimal(fields.get(amount))).reduce(BigDecimal.ZERO, BigDecimal::add);

        assertThat(sum).isEqualByComparingTo(StatementSamples.acme().total()).isEqualByComparingTo("54.86");
    }

    @Test
    void frozenAmountsAtTheColumnsScaleRenderToTheSameBytesAsLiveOnes() {
        byte[] live = StatementCsv.of(List.of(StatementSamples.acme())).getBytes(StandardCharsets.UTF_8);
        byte[] frozen = StatementCsv.of(List.of(StatementSamples.acme(StatementStatus.CLOSED, new BigDecimal("0.0000"))))
                .getBytes(StandardCharsets.UTF_8);

        assertThat(frozen).isEqualTo(live);
    }

    @Test
    void unpricedTimeHasEmptyRatesAndZeroAmounts() {
        String csv = StatementCsv.of(List.of(StatementSamples.beta()));

        assertThat(csv.lines().skip(1).toList()).containsExactly(
                "2026-10,CLOSED,EUR,4,Beta,TENANT-4,SLICE,00000000-0000-0000-0000-000000000021,render,A100-3g.40gb,"
                        + "2026-10-01T00:00:00Z,2026-10-01T02:00:00Z,7200,2.0000,,0.00,,0.000,0.0000,,0.00,0.00,,,,,");
    }

    @Test
    void everyRowHasTheHeadersNumberOfFields() {
        String csv = StatementCsv.of(List.of(StatementSamples.acme(), StatementSamples.beta()));

        assertThat(csv.split("\r\n")).hasSize(5)
                .allSatisfy(row -> assertThat(fieldsOf(row)).hasSize(StatementCsv.COLUMNS.size()));
    }

    @Test
    void noStatementsIsTheHeaderAlone() {
        assertThat(StatementCsv.of(List.of())).isEqualTo(HEADER);
    }

    /** An RFC 4180 reader for one row, enough to check the writer's quoting from the other side. */
    private static List<String> fieldsOf(String row) {
        List<String> fields = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
