package io.vgpuhub.web.finance;

/** A finance or billing URL names something that is not there (a tenant, a slice of the tenant, a month to come). */
public class UnknownFinanceItemException extends RuntimeException {

    private final String messageKey;
    private final transient Object[] arguments;

    public UnknownFinanceItemException(String messageKey, Object... arguments) {
        super(messageKey);
        this.messageKey = messageKey;
        this.arguments = arguments.clone();
    }

    public String messageKey() {
        return messageKey;
    }

    public Object[] arguments() {
        return arguments.clone();
    }
}
