package io.vgpuhub.metering.licensing;

/** How a slice was admitted: holding a seat of its edition, or (no seat free, edition allows it) flagged without one. */
public enum Admission {
    LICENSED, UNLICENSED
}
