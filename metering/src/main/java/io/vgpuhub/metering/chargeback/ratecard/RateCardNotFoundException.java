package io.vgpuhub.metering.chargeback.ratecard;

/** No rate card has the id asked for. */
public class RateCardNotFoundException extends RuntimeException {

    private final long id;

    RateCardNotFoundException(long id) {
        super("There is no rate card with id " + id + ".");
        this.id = id;
    }

    public long id() {
        return id;
    }
}
