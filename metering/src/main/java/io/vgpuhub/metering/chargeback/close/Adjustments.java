package io.vgpuhub.metering.chargeback.close;

import static io.vgpuhub.metering.SqlTime.instant;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.CostCentreRef;
import io.vgpuhub.metering.chargeback.Money;
import io.vgpuhub.metering.chargeback.RateSchedules;
import io.vgpuhub.metering.chargeback.TenantRef;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Adjustments: corrections finance books into an open (ended, not closed) or the running month, each with its reason.
 * A closed month takes none, whatever the caller does: booking takes the month's lock that closing takes, and the
 * database refuses the row as well.
 */
@Service
public class Adjustments {

    public static final int MIN_REASON = 3;
    public static final int MAX_REASON = 500;

    /** numeric(16, 4) holds less than 10^12. */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

    private static final String SELECT = """
            select a.id, a.month, a.tenant_id, a.amount, a.reason, a.corrects_month, a.created_at,
                   c.id as cc_id, c.code as cc_code, c.name as cc_name, p.code as cc_parent, u.username
            from billing_adjustment a
            join cost_centre c on c.id = a.cost_centre_id
            left join cost_centre p on p.id = c.parent_id
            join app_user u on u.id = a.created_by
            """;

    private final JdbcClient jdbc;
    private final BillingMonthRows billingMonths;
    private final RateSchedules schedules;
    private final Clock clock;

    Adjustments(JdbcClient jdbc, BillingMonthRows billingMonths, RateSchedules schedules, Clock clock) {
        this.jdbc = jdbc;
        this.billingMonths = billingMonths;
        this.schedules = schedules;
        this.clock = clock;
    }

    /**
     * Books an adjustment: a charge (positive) or a credit (negative), at the month's currency scale.
     *
     * @param costCentreId the tenant's cost centre to book to; null for its root
     * @param correctsMonth the closed month it corrects, or null
     * @param userId the app_user booking it
     * @throws MonthClosedException when the month is closed
     * @throws InvalidAdjustmentException for any other problem, all of them at once
     */
    @Transactional
    public Adjustment book(long tenantId, YearMonth month, Long costCentreId, BigDecimal amount, String reason,
            YearMonth correctsMonth, long userId) {
        LocalDate firstDay = BillingMonths.firstDay(month);
        billingMonths.lock(month);
        if (billingMonths.closed(month)) {
            throw new MonthClosedException(month);
        }
        List<InvalidAdjustmentException.Problem> problems = new ArrayList<>();
        if (month.isAfter(BillingMonths.of(clock.instant()))) {
            problems.add(problem("month", "future", "The month " + month + " has not begun; book into the running month"
                    + " or an open one."));
        }
        Long bookTo = costCentre(tenantId, costCentreId, problems);
        String currency = schedules.current().currency(month);
        BigDecimal scaled = amount == null ? null : Money.scaled(amount, currency);
        if (scaled == null) {
            problems.add(problem("amount", "missing", "Enter an amount: positive to charge, negative to credit."));
        }
        else if (scaled.signum() == 0) {
            problems.add(problem("amount", "zero", "The amount is zero at the currency's precision."));
        }
        else if (scaled.abs().compareTo(MAX_AMOUNT) >= 0) {
            problems.add(problem("amount", "tooLarge", "The amount must be less than 10^12 in size."));
        }
        String trimmed = reason == null ? "" : reason.strip();
        if (trimmed.length() < MIN_REASON) {
            problems.add(problem("reason", "tooShort", "Give a reason of at least " + MIN_REASON + " characters."));
        }
        else if (trimmed.length() > MAX_REASON) {
            problems.add(problem("reason", "tooLong", "The reason may have at most " + MAX_REASON + " characters."));
        }
        if (correctsMonth != null) {
            if (!correctsMonth.isBefore(month)) {
                problems.add(problem("correctsMonth", "notEarlier", "The corrected month must come before " + month + "."));
            }
            else if (!billingMonths.closed(correctsMonth)) {
                problems.add(problem("correctsMonth", "notClosed", "The month " + correctsMonth
                        + " is still open; book into it directly."));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidAdjustmentException(problems);
        }
        long id = jdbc.sql("""
                insert into billing_adjustment (month, tenant_id, cost_centre_id, amount, reason, corrects_month, created_by)
                values (:month, :tenant, :costCentre, :amount, :reason, :corrects, :by) returning id""")
                .param("month", firstDay).param("tenant", tenantId).param("costCentre", bookTo)
                .param("amount", scaled).param("reason", trimmed)
                .param("corrects", correctsMonth == null ? null : BillingMonths.firstDay(correctsMonth), Types.DATE)
                .param("by", userId)
                .query(Long.class).single();
        return atScale(jdbc.sql(SELECT + " where a.id = :id").param("id", id).query(Adjustments::adjustment).single(),
                currency);
    }

    /** The adjustments booked into the month, oldest first. */
    @Transactional(readOnly = true)
    public List<Adjustment> inMonth(YearMonth month) {
        String currency = schedules.current().currency(month);
        return jdbc.sql(SELECT + " where a.month = :month order by a.created_at, a.id")
                .param("month", BillingMonths.firstDay(month)).query(Adjustments::adjustment).stream()
                .map(adjustment -> atScale(adjustment, currency)).toList();
    }

    /** Every tenant (by name) with the cost centres an adjustment may go to. */
    @Transactional(readOnly = true)
    public List<TenantCostCentres> choices() {
        Map<TenantRef, List<CostCentreRef>> byTenant = new LinkedHashMap<>();
        jdbc.sql("""
                select t.id, t.name, c.id, c.code, c.name, p.code
                from tenant t join cost_centre c on c.tenant_id = t.id left join cost_centre p on p.id = c.parent_id
                order by t.name, t.id, c.parent_id nulls first, c.code""")
                .query((rs, row) -> byTenant.computeIfAbsent(new TenantRef(rs.getLong(1), rs.getString(2)),
                        tenant -> new ArrayList<>())
                        .add(new CostCentreRef(rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6))))
                .list();
        return byTenant.entrySet().stream().map(e -> new TenantCostCentres(e.getKey(), e.getValue())).toList();
    }

    /** The cost centre to book to, or null with a problem added when the tenant or the cost centre will not do. */
    private Long costCentre(long tenantId, Long costCentreId, List<InvalidAdjustmentException.Problem> problems) {
        Optional<Long> root = jdbc.sql("select id from cost_centre where tenant_id = :tenant and parent_id is null")
                .param("tenant", tenantId).query(Long.class).optional();
        if (root.isEmpty()) {
            problems.add(problem("tenant", "unknown", "There is no tenant with id " + tenantId + "."));
            return null;
        }
        if (costCentreId == null) {
            return root.get();
        }
        boolean ownCostCentre = jdbc.sql("select exists (select 1 from cost_centre where id = :id and tenant_id = :tenant)")
                .param("id", costCentreId).param("tenant", tenantId).query(Boolean.class).single();
        if (!ownCostCentre) {
            problems.add(problem("costCentre", "otherTenant", "Cost centre " + costCentreId
                    + " does not belong to the tenant."));
            return null;
        }
        return costCentreId;
    }


    private static InvalidAdjustmentException.Problem problem(String field, String code, String message) {
        return new InvalidAdjustmentException.Problem(field, code, message);
    }

    /** The stored amount (numeric(16, 4)) at the currency's scale, as it was booked. */
    private static Adjustment atScale(Adjustment a, String currency) {
        return new Adjustment(a.id(), a.month(), a.tenantId(), a.costCentre(), Money.scaled(a.amount(), currency),
                a.reason(), a.correctsMonth(), a.createdBy(), a.createdAt());
    }

    private static Adjustment adjustment(ResultSet rs, int row) throws SQLException {
        LocalDate corrects = rs.getObject("corrects_month", LocalDate.class);
        return new Adjustment(rs.getLong("id"), YearMonth.from(rs.getObject("month", LocalDate.class)),
                rs.getLong("tenant_id"),
                new CostCentreRef(rs.getLong("cc_id"), rs.getString("cc_code"), rs.getString("cc_name"),
                        rs.getString("cc_parent")),
                rs.getBigDecimal("amount"), rs.getString("reason"), corrects == null ? null : YearMonth.from(corrects),
                rs.getString("username"), instant(rs, "created_at"));
    }
}
