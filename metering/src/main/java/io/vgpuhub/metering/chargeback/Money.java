package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * The one rounding rule of chargeback: an amount is its quantity times its rate, computed exactly, then rounded once,
 * half up, to the currency's minor unit (cents for EUR and USD, whole yen for JPY). Only line amounts are rounded;
 * subtotals and totals are sums of rounded lines, so a statement always adds up.
 */
public final class Money {

    /** Seconds in the hour that rates are quoted per. */
    public static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private Money() {
    }

    /** What {@code seconds} cost at {@code ratePerHour}, rounded to the currency's minor unit. */
    public static BigDecimal amount(BigDecimal seconds, BigDecimal ratePerHour, String currency) {
        // Multiply first: seconds x rate is exact, and the single division rounds straight to the minor unit.
        return seconds.multiply(ratePerHour).divide(SECONDS_PER_HOUR, minorUnit(currency), RoundingMode.HALF_UP);
    }

    /** {@code amount} at the currency's scale, for amounts entered by hand (adjustments) and for zero. */
    public static BigDecimal scaled(BigDecimal amount, String currency) {
        return amount.setScale(minorUnit(currency), RoundingMode.HALF_UP);
    }

    /**
     * {@code amount} with at least the currency's decimals and none of its own dropped: how amounts read back from
     * numeric columns (which keep four places) are shown, without rounding them a second time.
     */
    public static BigDecimal atLeastMinorUnit(BigDecimal amount, String currency) {
        int scale = Math.max(minorUnit(currency), amount.stripTrailingZeros().scale());
        return amount.setScale(scale, RoundingMode.UNNECESSARY);
    }

    /** Digits after the decimal point of the currency's minor unit; 2 for a currency Java does not know. */
    public static int minorUnit(String currency) {
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? 2 : digits;
        } catch (IllegalArgumentException | NullPointerException unknown) {
            return 2;
        }
    }

    /** True for an ISO 4217 code Java knows, such as EUR or USD. */
    public static boolean isCurrency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
