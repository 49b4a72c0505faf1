package io.vgpuhub.metering.chargeback;

import java.util.List;

/**
 * The rate cards in order of taking effect: each is in force from its day until the next card's.
 * (Issue 6 foundation: the engine fills this in; the signatures are the contract.)
 */
public final class RateSchedule {

    private final List<RateCard> cards;

    private RateSchedule(List<RateCard> cards) {
        this.cards = List.copyOf(cards);
    }

    public static RateSchedule of(List<RateCard> cards) {
        throw new UnsupportedOperationException("issue 6: engine pending");
    }

    /** The cards, earliest first. */
    public List<RateCard> cards() {
        return cards;
    }

    /** This schedule with the draft in force from its day (replacing a card of the same day), for previews. */
    public RateSchedule with(RateCardDraft draft) {
        throw new UnsupportedOperationException("issue 6: engine pending");
    }
}
