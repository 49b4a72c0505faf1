package io.vgpuhub.metering.chargeback.ratecard;

import java.math.BigDecimal;

/**
 * An offering as the rate card form lists it: every enabled offering needs a price on a new card; a disabled one may
 * keep one (its slices still running are billed by it).
 *
 * @param listPricePerHour the catalog's list price (offering.price_per_hour), what a first card starts from
 */
public record PriceableOffering(long id, String code, String kind, String gpuModel, boolean enabled,
        BigDecimal listPricePerHour) {
}
