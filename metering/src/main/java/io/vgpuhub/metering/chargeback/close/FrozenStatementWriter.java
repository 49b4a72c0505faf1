package io.vgpuhub.metering.chargeback.close;

import static io.vgpuhub.metering.SqlTime.utc;

import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.MonthCharges;
import io.vgpuhub.metering.chargeback.RightsizingHint;
import io.vgpuhub.metering.chargeback.SliceShowback;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.chargeback.TenantCharges;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes a month's computed charges into statement_line and statement_showback, names and figures as they stand, in
 * batches (a month of a large cluster is tens of thousands of rows). Lines keep the order the calculator gives them,
 * which is the statement's order, as line_no.
 */
@Component
class FrozenStatementWriter {

    private static final String LINE = """
            insert into statement_line (month, tenant_id, line_no, tenant_name, cost_centre_id, cost_centre_code,
                cost_centre_name, cost_centre_parent, slice_id, slice_uuid, vm_name, offering_id, offering_code,
                rate_card_id, period_start, period_end, allocated_seconds, rate_per_hour, allocation_amount, edition,
                seat_seconds, seat_rate_per_hour, seat_amount)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final int[] LINE_TYPES = { Types.DATE, Types.BIGINT, Types.INTEGER, Types.VARCHAR, Types.BIGINT,
            Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.OTHER, Types.VARCHAR, Types.BIGINT,
            Types.VARCHAR, Types.BIGINT, Types.TIMESTAMP_WITH_TIMEZONE, Types.TIMESTAMP_WITH_TIMEZONE, Types.BIGINT,
            Types.NUMERIC, Types.NUMERIC, Types.VARCHAR, Types.NUMERIC, Types.NUMERIC, Types.NUMERIC };

    private static final String SHOWBACK = """
            insert into statement_showback (month, tenant_id, slice_id, sample_count, utilization_mean,
                utilization_peak, memory_peak_mib, framebuffer_mib, suggested_offering, suggested_fb_mib,
                suggested_saving)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final int[] SHOWBACK_TYPES = { Types.DATE, Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.NUMERIC,
            Types.INTEGER, Types.INTEGER, Types.INTEGER, Types.VARCHAR, Types.INTEGER, Types.NUMERIC };

    private static final int BATCH = 1000;

    private final JdbcTemplate jdbc;

    FrozenStatementWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return how many lines were written */
    int write(MonthCharges charges) {
        LocalDate month = BillingMonths.firstDay(charges.month());
        List<Object[]> lines = new ArrayList<>();
        List<Object[]> showback = new ArrayList<>();
        for (TenantCharges tenant : charges.tenants()) {
            int lineNo = 0;
            for (StatementLine line : tenant.lines()) {
                lines.add(line(month, tenant, ++lineNo, line));
            }
            for (SliceShowback slice : tenant.showback()) {
                showback.add(showback(month, tenant, slice));
            }
        }
        insert(LINE, lines, LINE_TYPES);
        insert(SHOWBACK, showback, SHOWBACK_TYPES);
        return lines.size();
    }

    private void insert(String sql, List<Object[]> rows, int[] types) {
        for (int from = 0; from < rows.size(); from += BATCH) {
            jdbc.batchUpdate(sql, rows.subList(from, Math.min(rows.size(), from + BATCH)), types);
        }
    }

    private static Object[] line(LocalDate month, TenantCharges tenant, int lineNo, StatementLine line) {
        return new Object[] { month, tenant.tenant().id(), lineNo, tenant.tenant().name(), line.costCentre().id(),
                line.costCentre().code(), line.costCentre().name(), line.costCentre().parentCode(), line.sliceId(),
                line.sliceUuid(), line.vmName(), line.offeringId(), line.offeringCode(), line.rateCardId(),
                utc(line.periodStart()), utc(line.periodEnd()), line.allocatedSeconds(), line.ratePerHour(),
                line.allocationAmount(), line.edition() == null ? null : line.edition().name(), line.seatSeconds(),
                line.seatRatePerHour(), line.seatAmount() };
    }

    private static Object[] showback(LocalDate month, TenantCharges tenant, SliceShowback slice) {
        RightsizingHint hint = slice.hint();
        return new Object[] { month, tenant.tenant().id(), slice.sliceId(), slice.sampleCount(),
                slice.meanUtilization(), slice.peakUtilization(), slice.peakMemoryMib(), slice.framebufferMib(),
                hint == null ? null : hint.offeringCode(), hint == null ? null : hint.framebufferMib(),
                hint == null ? null : hint.saving() };
    }
}
