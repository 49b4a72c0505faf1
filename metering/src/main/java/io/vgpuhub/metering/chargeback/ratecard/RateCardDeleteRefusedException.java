package io.vgpuhub.metering.chargeback.ratecard;

import java.util.List;

/**
 * A rate card that may not be deleted, and why; nothing was changed. {@code code} names the rule for callers that
 * show it in another language: {@code inEffect} (it has taken effect and prices time since) or {@code currencyGap}
 * (without it, the next card would change the currency in the middle of a month).
 */
public class RateCardDeleteRefusedException extends RuntimeException {

    private final long id;
    private final String code;
    private final List<Object> args;

    RateCardDeleteRefusedException(long id, String code, String message, List<Object> args) {
        super(message);
        this.id = id;
        this.code = code;
        this.args = List.copyOf(args);
    }

    public long id() {
        return id;
    }

    public String code() {
        return code;
    }

    public List<Object> args() {
        return args;
    }
}
