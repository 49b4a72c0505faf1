package io.vgpuhub.metering.chargeback;

import java.math.BigDecimal;

/** A sum of rounded line amounts under one key (an offering code, a cost centre path, a tenant name). */
public record Subtotal(String key, BigDecimal amount) {
}
