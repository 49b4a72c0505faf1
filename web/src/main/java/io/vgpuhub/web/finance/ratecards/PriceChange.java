package io.vgpuhub.web.finance.ratecards;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One price of a card beside the price it replaces: {@code before} null where the earlier card had none (or there is
 * no earlier card), {@code after} null where this card prices it no longer.
 */
record PriceChange(String item, String detail, BigDecimal before, BigDecimal after) {

    public BigDecimal difference() {
        return before == null || after == null ? null : after.subtract(before);
    }

    /** Change in percent to one decimal; null when there is nothing to compare or the old price was zero. */
    public BigDecimal percent() {
        BigDecimal difference = difference();
        if (difference == null || before.signum() == 0) {
            return null;
        }
        return difference.multiply(BigDecimal.valueOf(100)).divide(before, 1, RoundingMode.HALF_UP);
    }

    public boolean changed() {
        return before == null || after == null || before.compareTo(after) != 0;
    }
}
