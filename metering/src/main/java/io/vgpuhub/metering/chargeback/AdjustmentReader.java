package io.vgpuhub.metering.chargeback;

import java.sql.Types;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import io.vgpuhub.metering.SqlTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The adjustments booked into a month, oldest first, with their cost centres as they stand, or for a closed month as
 * they stood at its close.
 */
@Component
class AdjustmentReader {

    private final JdbcClient jdbc;

    AdjustmentReader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Tenant null: every tenant's. Amounts keep their digits, at least the currency's minor unit. */
    List<Adjustment> of(YearMonth month, Long tenantId, String currency) {
        return jdbc.sql("""
                select a.id, a.tenant_id, c.id, coalesce(a.frozen_cost_centre_code, c.code),
                       coalesce(a.frozen_cost_centre_name, c.name),
                       case when a.frozen_cost_centre_code is null then p.code else a.frozen_cost_centre_parent end,
                       a.amount, a.reason, a.corrects_month,
                       u.username, a.created_at
                from billing_adjustment a
                join cost_centre c on c.id = a.cost_centre_id
                left join cost_centre p on p.id = c.parent_id
                left join app_user u on u.id = a.created_by
                where a.month = :month and (cast(:tenant as bigint) is null or a.tenant_id = cast(:tenant as bigint))
                order by a.created_at, a.id""")
                .param("month", BillingMonths.firstDay(month)).param("tenant", tenantId, Types.BIGINT)
                .query((rs, row) -> {
                    LocalDate corrects = rs.getObject(9, LocalDate.class);
                    return new Adjustment(rs.getLong(1), month, rs.getLong(2),
                            new CostCentreRef(rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6)),
                            Money.atLeastMinorUnit(rs.getBigDecimal(7), currency), rs.getString(8),
                            corrects == null ? null : YearMonth.from(corrects), rs.getString(10),
                            SqlTime.instant(rs, 11));
                }).list();
    }

    /** The first month any adjustment was booked into, if any. */
    java.util.Optional<YearMonth> firstMonth() {
        return jdbc.sql("select month from billing_adjustment order by month limit 1").query(LocalDate.class)
                .optional().map(YearMonth::from);
    }
}
