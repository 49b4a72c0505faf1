package io.vgpuhub.metering.usage;

/** A usage batch that cannot be stored as sent; nothing of it was stored. */
public class InvalidUsageException extends RuntimeException {

    public InvalidUsageException(String message) {
        super(message);
    }
}
