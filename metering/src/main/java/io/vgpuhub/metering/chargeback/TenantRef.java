package io.vgpuhub.metering.chargeback;

/** A tenant as a statement names it (a closed statement keeps the name it had at closing). */
public record TenantRef(long id, String name) {
}
