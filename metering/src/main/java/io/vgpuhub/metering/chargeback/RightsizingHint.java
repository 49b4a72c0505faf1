package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;

/**
 * A smaller offering that would have held what the slice used in the month (its peak framebuffer stayed under half
 * of its profile's), and what the month would have cost less on it at the same rate cards.
 */
public record RightsizingHint(String offeringCode, int framebufferMib, BigDecimal saving) {
}
