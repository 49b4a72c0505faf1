package io.vgpuhub.agent.server;

/** The server answered with a non-2xx status (its problem detail in the message), or could not be reached (status 0). */
public final class ServerException extends RuntimeException {

    private final int status;

    ServerException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status, or 0 when no answer arrived (connection refused, timeout). */
    public int status() {
        return status;
    }

    /** Worth retrying later as is: no answer, 5xx, 408 or 429. */
    public boolean retryable() {
        return status == 0 || status >= 500 || status == 408 || status == 429;
    }
}
