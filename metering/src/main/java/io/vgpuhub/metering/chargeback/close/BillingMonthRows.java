package io.vgpuhub.metering.chargeback.close;

import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.BillingMonths;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The billing_month row as closing and adjustments see it: whether the month is closed, and its lock. */
@Component
class BillingMonthRows {

    private final JdbcClient jdbc;

    BillingMonthRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The per-month lock the billing_month insert and the adjustment trigger take (V9), held until commit. */
    void lock(YearMonth month) {
        jdbc.sql("select billing_month_lock(:month)").param("month", BillingMonths.firstDay(month))
                .query((rs, row) -> 1).single();
    }

    boolean closed(YearMonth month) {
        return jdbc.sql("select exists (select 1 from billing_month where month = :month)")
                .param("month", BillingMonths.firstDay(month)).query(Boolean.class).single();
    }
}
