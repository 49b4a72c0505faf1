package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.vgpuhub.metering.SqlTime;
import io.vgpuhub.metering.licensing.Edition;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A closed month read back from the rows its close froze (billing_month, statement_line, statement_showback), and
 * nothing else, so that it reads the same however often it is rendered.
 */
@Component
class FrozenStatements {

    private final JdbcClient jdbc;

    FrozenStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The month's close, if it is closed. */
    Optional<ClosedMonth> closed(YearMonth month) {
        return jdbc.sql("""
                select m.currency, m.closed_at, u.username from billing_month m left join app_user u on u.id = m.closed_by
                where m.month = ?""").param(BillingMonths.firstDay(month))
                .query((rs, row) -> new ClosedMonth(month, rs.getString(1), SqlTime.instant(rs, 2), rs.getString(3)))
                .optional();
    }

    /** Every closed month with the sum of its frozen line amounts. */
    Map<YearMonth, ClosedCharges> closedMonths() {
        Map<YearMonth, ClosedCharges> months = new LinkedHashMap<>();
        jdbc.sql("""
                select m.month, m.currency, m.closed_at, u.username,
                       coalesce((select sum(l.allocation_amount + l.seat_amount) from statement_line l
                                 where l.month = m.month), 0)
                from billing_month m left join app_user u on u.id = m.closed_by order by m.month""")
                .query(rs -> {
                    YearMonth month = YearMonth.from(rs.getObject(1, LocalDate.class));
                    ClosedMonth closed = new ClosedMonth(month, rs.getString(2), SqlTime.instant(rs, 3),
                            rs.getString(4));
                    months.put(month, new ClosedCharges(closed, Money.atLeastMinorUnit(rs.getBigDecimal(5), closed.currency())));
                });
        return months;
    }

    /** The frozen lines and showback per tenant (by tenant id), in line order; tenant null for every tenant. */
    Map<Long, TenantCharges> charges(ClosedMonth month, Long tenantId) {
        Map<Long, List<StatementLine>> lines = new LinkedHashMap<>();
        Map<Long, String> names = new LinkedHashMap<>();
        jdbc.sql("""
                select tenant_id, tenant_name, slice_id, slice_uuid, vm_name, offering_id, offering_code,
                       cost_centre_id, cost_centre_code, cost_centre_name, cost_centre_parent, rate_card_id,
                       period_start, period_end, allocated_seconds, rate_per_hour, allocation_amount,
                       edition, seat_seconds, seat_rate_per_hour, seat_amount
                from statement_line
                where month = :month and (cast(:tenant as bigint) is null or tenant_id = cast(:tenant as bigint))
                order by tenant_id, line_no""")
                .param("month", BillingMonths.firstDay(month.month())).param("tenant", tenantId, Types.BIGINT)
                .query(rs -> {
                    long tenant = rs.getLong("tenant_id");
                    names.putIfAbsent(tenant, rs.getString("tenant_name"));
                    lines.computeIfAbsent(tenant, id -> new ArrayList<>()).add(line(rs, month.currency()));
                });
        Map<Long, List<SliceShowback>> showback = new LinkedHashMap<>();
        jdbc.sql("""
                select b.tenant_id, b.slice_id, b.sample_count, b.utilization_mean, b.utilization_peak, b.memory_peak_mib,
                       b.framebuffer_mib, b.suggested_offering, b.suggested_fb_mib, b.suggested_saving
                from statement_showback b
                where b.month = :month and (cast(:tenant as bigint) is null or b.tenant_id = cast(:tenant as bigint))
                order by b.tenant_id, (select min(l.line_no) from statement_line l
                                       where l.month = b.month and l.tenant_id = b.tenant_id and l.slice_id = b.slice_id),
                         b.slice_id""")
                .param("month", BillingMonths.firstDay(month.month())).param("tenant", tenantId, Types.BIGINT)
                .query(rs -> {
                    String suggested = rs.getString("suggested_offering");
                    RightsizingHint hint = suggested == null ? null : new RightsizingHint(suggested,
                            rs.getInt("suggested_fb_mib"), Money.atLeastMinorUnit(rs.getBigDecimal("suggested_saving"), month.currency()));
                    showback.computeIfAbsent(rs.getLong("tenant_id"), id -> new ArrayList<>()).add(new SliceShowback(
                            rs.getLong("slice_id"), rs.getLong("sample_count"), rs.getBigDecimal("utilization_mean"),
                            rs.getObject("utilization_peak", Integer.class), rs.getObject("memory_peak_mib", Integer.class),
                            rs.getInt("framebuffer_mib"), hint));
                });
        Map<Long, TenantCharges> charges = new LinkedHashMap<>();
        names.forEach((tenant, name) -> charges.put(tenant, new TenantCharges(new TenantRef(tenant, name),
                lines.get(tenant), showback.getOrDefault(tenant, List.of()))));
        return charges;
    }

    private static StatementLine line(ResultSet rs, String currency) throws SQLException {
        String edition = rs.getString("edition");
        return new StatementLine(rs.getLong("slice_id"), rs.getObject("slice_uuid", UUID.class), rs.getString("vm_name"),
                rs.getLong("offering_id"), rs.getString("offering_code"),
                new CostCentreRef(rs.getLong("cost_centre_id"), rs.getString("cost_centre_code"),
                        rs.getString("cost_centre_name"), rs.getString("cost_centre_parent")),
                rs.getObject("rate_card_id", Long.class), SqlTime.instant(rs, "period_start"),
                SqlTime.instant(rs, "period_end"), rs.getLong("allocated_seconds"), rs.getBigDecimal("rate_per_hour"),
                Money.atLeastMinorUnit(rs.getBigDecimal("allocation_amount"), currency),
                edition == null ? null : Edition.valueOf(edition), rs.getBigDecimal("seat_seconds"),
                rs.getBigDecimal("seat_rate_per_hour"), Money.atLeastMinorUnit(rs.getBigDecimal("seat_amount"), currency));
    }

    /** A month's close: the currency it was priced in, when and by whom (a user name) it was closed. */
    record ClosedMonth(YearMonth month, String currency, Instant closedAt, String closedBy) {
    }

    /** A closed month and the sum of its frozen line amounts. */
    record ClosedCharges(ClosedMonth close, BigDecimal charges) {
    }
}
