package io.vgpuhub.web.apitoken;

/**
 * What a presented API token turned out to be. Only {@link Outcome#VALID} and {@link Outcome#USER_INACTIVE} name the
 * client: the second is a genuine token whose user may no longer act (disabled, or no tenant role left).
 */
record TokenCheck(Outcome outcome, ApiClient client) {

    enum Outcome {
        VALID, MALFORMED, UNKNOWN, REVOKED, EXPIRED, USER_INACTIVE
    }

    static TokenCheck refused(Outcome outcome) {
        return new TokenCheck(outcome, null);
    }
}
