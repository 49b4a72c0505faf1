package io.vgpuhub.web.operator;

/**
 * An operator page or action named a host, GPU, offering or tenant that does not exist: {@link OperatorExceptionHandler}
 * answers it, also for the operator's sub-packages, with a 404 page that says so.
 */
public class UnknownItemException extends RuntimeException {

    private final String messageKey;
    private final transient Object[] args;

    public UnknownItemException(String messageKey, Object... args) {
        super(messageKey);
        this.messageKey = messageKey;
        this.args = args;
    }

    String messageKey() {
        return messageKey;
    }

    Object[] args() {
        return args;
    }
}
