package io.vgpuhub.web.finance.ratecards;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.vgpuhub.metering.chargeback.RateCard;

/**
 * A card in the list: {@code state} is inForce (prices today), future (not yet in effect: may be previewed and
 * deleted) or past (replaced by a later card).
 */
record RateCardRow(RateCard card, String state) {

    static List<RateCardRow> of(List<RateCard> cards, LocalDate today) {
        Optional<RateCard> inForce = cards.stream().filter(c -> !c.effectiveFrom().isAfter(today))
                .reduce((earlier, later) -> later);
        List<RateCardRow> rows = new ArrayList<>();
        for (RateCard card : cards) {
            String state = card.effectiveFrom().isAfter(today) ? "future"
                    : inForce.filter(c -> c.id().equals(card.id())).isPresent() ? "inForce" : "past";
            rows.add(new RateCardRow(card, state));
        }
        // Newest first: what finance works on is at the top.
        java.util.Collections.reverse(rows);
        return rows;
    }

    public boolean future() {
        return state.equals("future");
    }
}
