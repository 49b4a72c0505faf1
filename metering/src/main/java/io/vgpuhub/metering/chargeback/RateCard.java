package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import io.vgpuhub.metering.licensing.Edition;

/**
 * A stored rate card (see {@link RateCardDraft}); {@code id} is null for a draft placed in a schedule for a preview.
 */
public record RateCard(Long id, LocalDate effectiveFrom, String currency, String name, String notes,
        Map<Long, BigDecimal> offeringPrices, Map<Edition, BigDecimal> seatPrices, String createdBy, Instant createdAt) {

    public RateCard {
        offeringPrices = Map.copyOf(offeringPrices);
        seatPrices = Map.copyOf(seatPrices);
    }
}
