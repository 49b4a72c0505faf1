package io.vgpuhub.metering.chargeback.close;

import java.time.LocalDate;
import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.RateCard;
import io.vgpuhub.metering.chargeback.RateSchedule;

/**
 * A month's currency under a schedule: the currency of the card in force on its first day, or, when none was, of the
 * first card taking effect within it. Cards change currency only on a first, so a month has one.
 */
final class MonthCurrency {

    private MonthCurrency() {
    }

    /** @return null when no card is in force at any time in the month */
    static String of(RateSchedule schedule, YearMonth month) {
        LocalDate first = BillingMonths.firstDay(month);
        LocalDate next = BillingMonths.firstDay(month.plusMonths(1));
        RateCard inForce = null;
        for (RateCard card : schedule.cards()) {
            if (!card.effectiveFrom().isAfter(first)) {
                inForce = card;
            }
            else if (inForce == null && card.effectiveFrom().isBefore(next)) {
                return card.currency();
            }
        }
        return inForce == null ? null : inForce.currency();
    }
}
