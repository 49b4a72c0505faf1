package io.vgpuhub.web.finance;

import java.time.Clock;
import java.time.YearMonth;

/** A finance or billing URL names something that is not there (a tenant, a slice of the tenant, a month to come). */
public class UnknownFinanceItemException extends RuntimeException {

    private final String messageKey;
    private final transient Object[] arguments;

    public UnknownFinanceItemException(String messageKey, Object... arguments) {
        super(messageKey);
        this.messageKey = messageKey;
        this.arguments = arguments.clone();
    }

    /**
     * A month still to come has no statement of any kind: asking for one is a wrong address, not an empty page.
     *
     * @param messageKey the page's sentence for it, with the month as its argument
     */
    public static void requireBegun(YearMonth month, Clock clock, String messageKey) {
        if (month.isAfter(YearMonth.now(clock))) {
            throw new UnknownFinanceItemException(messageKey, month.toString());
        }
    }

    public String messageKey() {
        return messageKey;
    }

    public Object[] arguments() {
        return arguments.clone();
    }
}
