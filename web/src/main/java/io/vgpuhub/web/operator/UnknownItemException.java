package io.vgpuhub.web.operator;

/** An operator page or action named a host, GPU, offering or tenant that does not exist. */
class UnknownItemException extends RuntimeException {

    private final String messageKey;
    private final transient Object[] args;

    UnknownItemException(String messageKey, Object... args) {
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
