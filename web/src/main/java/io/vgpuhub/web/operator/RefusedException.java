package io.vgpuhub.web.operator;

/**
 * An operator's change that the rules do not allow (a busy GPU's mode, a mode the GPU lacks). Thrown out of the
 * change's transaction so that nothing of it is kept; the page shows the message.
 */
class RefusedException extends RuntimeException {

    private final String messageKey;
    private final transient Object[] args;

    RefusedException(String messageKey, Object... args) {
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
