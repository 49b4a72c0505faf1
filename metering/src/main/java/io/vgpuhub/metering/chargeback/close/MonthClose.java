package io.vgpuhub.metering.chargeback.close;

import static io.vgpuhub.metering.SqlTime.utc;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.ChargebackCalculator;
import io.vgpuhub.metering.chargeback.MonthCharges;
import io.vgpuhub.metering.chargeback.RateSchedule;
import io.vgpuhub.metering.chargeback.RateSchedules;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.usage.allocation.AllocationRollup;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closing a month: freezes every tenant's statement of an ended month into statement_line and statement_showback, so
 * that nothing later (a late sample, a new rate card, a renamed tenant) changes it. Months close in order, once.
 *
 * <p>The close takes the month's lock (the one booking an adjustment takes) before it checks and writes anything, so
 * an adjustment racing the close either commits first and shows in the statement or is refused after it.
 */
@Service
public class MonthClose {

    private final JdbcClient jdbc;
    private final BillingMonthRows billingMonths;
    private final AllocationRollup rollup;
    private final ChargebackCalculator calculator;
    private final RateSchedules schedules;
    private final FrozenStatementWriter frozen;
    private final TransactionTemplate transaction;
    private final Clock clock;

    MonthClose(JdbcClient jdbc, BillingMonthRows billingMonths, AllocationRollup rollup, ChargebackCalculator calculator, RateSchedules schedules,
            FrozenStatementWriter frozen, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.billingMonths = billingMonths;
        this.rollup = rollup;
        this.calculator = calculator;
        this.schedules = schedules;
        this.frozen = frozen;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Whether the month may be closed now; every reason it may not. */
    public CloseCheck check(YearMonth month) {
        return transaction.execute(status -> check(month, clock.instant()));
    }

    /**
     * Freezes the month's statements as they stand now.
     *
     * @param userId the app_user closing it
     * @throws MonthCloseRefusedException when {@link #check(YearMonth)} refuses (nothing is written)
     */
    public ClosedMonth close(YearMonth month, long userId) {
        Instant now = clock.instant();
        CloseCheck check = transaction.execute(status -> check(month, now));
        if (!check.canClose()) {
            throw new MonthCloseRefusedException(check);
        }
        // In its own transaction first: slices released late in the month get their last hours before they are read.
        rollup.run(now);
        return transaction.execute(status -> freeze(month, userId, now));
    }

    private ClosedMonth freeze(YearMonth month, long userId, Instant now) {
        LocalDate firstDay = BillingMonths.firstDay(month);
        // The lock the billing_month insert takes anyway, taken first so the checks below cannot go stale.
        billingMonths.lock(month);
        CloseCheck check = check(month, now);
        if (!check.canClose()) {
            throw new MonthCloseRefusedException(check);
        }
        RateSchedule schedule = schedules.current();
        MonthCharges charges = calculator.compute(month, BillingMonths.end(month), schedule, null);
        String currency = charges.currency();
        // Before billing_month exists: once it does, the adjustment trigger refuses any change to the month's rows.
        jdbc.sql("""
                update billing_adjustment a
                set frozen_tenant_name = t.name, frozen_cost_centre_code = c.code, frozen_cost_centre_name = c.name,
                    frozen_cost_centre_parent = p.code
                from tenant t, cost_centre c left join cost_centre p on p.id = c.parent_id
                where a.month = :month and t.id = a.tenant_id and c.id = a.cost_centre_id
                """).param("month", firstDay).update();
        jdbc.sql("insert into billing_month (month, currency, closed_at, closed_by) values (:month, :currency, :at, :by)")
                .param("month", firstDay).param("currency", currency, Types.VARCHAR)
                .param("at", utc(now), Types.TIMESTAMP_WITH_TIMEZONE).param("by", userId)
                .update();
        int lines = frozen.write(charges);
        BigDecimal total = charges.tenants().stream().flatMap(tenant -> tenant.lines().stream())
                .map(StatementLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new ClosedMonth(month, currency, charges.tenants().size(), lines, total, now);
    }

    private CloseCheck check(YearMonth month, Instant now) {
        List<CloseRefusal> refusals = new ArrayList<>();
        if (billingMonths.closed(month)) {
            refusals.add(new CloseRefusal(CloseRefusal.Reason.ALREADY_CLOSED, null));
        }
        if (BillingMonths.end(month).isAfter(now)) {
            refusals.add(new CloseRefusal(CloseRefusal.Reason.NOT_ENDED, null));
        }
        earliestOpenMonthBefore(month, now)
                .ifPresent(open -> refusals.add(new CloseRefusal(CloseRefusal.Reason.EARLIER_MONTH_OPEN, open)));
        return new CloseCheck(month, refusals);
    }


    /**
     * The earliest month before {@code month} that had allocated time, seat time or an adjustment and is not closed.
     * Months with nothing in them do not hold later months back.
     */
    private Optional<YearMonth> earliestOpenMonthBefore(YearMonth month, Instant now) {
        return jdbc.sql("""
                with spans as (
                    select ready_at as from_at, coalesce(released_at, :now) as until_at
                    from slice where ready_at is not null and ready_at < :start
                    union all
                    select acquired_at, coalesce(ended_at, :now)
                    from license_lease where holds_seat and acquired_at < :start
                ),
                months as (
                    select cast(m.month as date) as month
                    from spans,
                         generate_series(date_trunc('month', from_at at time zone 'UTC'),
                                         least(date_trunc('month', (until_at - interval '1 microsecond') at time zone 'UTC'),
                                               cast(:last as timestamp)),
                                         interval '1 month') as m(month)
                    where until_at > from_at
                    union all
                    select month from billing_adjustment where month <= :last
                )
                select min(month) from months m
                where not exists (select 1 from billing_month b where b.month = m.month)
                having count(*) > 0
                """)
                .param("now", utc(now), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("start", utc(BillingMonths.start(month)), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("last", BillingMonths.firstDay(month.minusMonths(1)))
                .query(LocalDate.class).optional().map(YearMonth::from);
    }
}
