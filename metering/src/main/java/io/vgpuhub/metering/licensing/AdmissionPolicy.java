package io.vgpuhub.metering.licensing;

/** What happens to a new slice of an edition when no seat of it is free ({@code license_edition.admission_policy}). */
public enum AdmissionPolicy {
    /** The request is refused, nothing is written, and the tenant is told why (the default). */
    REFUSE,
    /** The slice is admitted without a seat and its lease is flagged as unlicensed. */
    ALLOW_UNLICENSED
}
