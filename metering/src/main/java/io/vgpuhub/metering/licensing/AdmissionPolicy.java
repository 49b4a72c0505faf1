package io.vgpuhub.metering.licensing;

/** What {@code license_edition.admission_policy} says to do with a new slice when no seat of its edition is free. */
enum AdmissionPolicy {
    /** Refuse the slice; nothing is written. */
    REFUSE,
    /** Admit the slice without a seat and flag its lease. */
    ALLOW_UNLICENSED
}
