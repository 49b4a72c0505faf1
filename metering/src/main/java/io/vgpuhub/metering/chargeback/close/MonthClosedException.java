package io.vgpuhub.metering.chargeback.close;

import java.time.YearMonth;

/** An adjustment aimed at a closed month; corrections of a closed month go into an open one. Nothing was written. */
public class MonthClosedException extends RuntimeException {

    private final YearMonth month;

    MonthClosedException(YearMonth month) {
        super("the month " + month + " is closed; book the adjustment in an open month");
        this.month = month;
    }

    public YearMonth month() {
        return month;
    }
}
