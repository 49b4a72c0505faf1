package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

import io.vgpuhub.metering.licensing.Edition;

/**
 * A rate card as finance enters it: in force from 00:00 UTC of {@code effectiveFrom} until the next card's, prices per
 * offering id per allocated hour and per edition per seat-hour. An offering or edition missing from the map is
 * unpriced under the card (its time shows as unbilled).
 */
public record RateCardDraft(LocalDate effectiveFrom, String currency, String name, String notes,
        Map<Long, BigDecimal> offeringPrices, Map<Edition, BigDecimal> seatPrices) {

    public RateCardDraft {
        offeringPrices = Map.copyOf(offeringPrices);
        seatPrices = Map.copyOf(seatPrices);
    }
}
