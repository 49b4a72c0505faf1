package io.vgpuhub.metering.licensing;

/** Why a slice gives its lease back: the tenant released it, or it failed. Expiry is {@link SeatLeases#expireStale}'s. */
public enum ReleaseReason {
    RELEASED, FAILED
}
