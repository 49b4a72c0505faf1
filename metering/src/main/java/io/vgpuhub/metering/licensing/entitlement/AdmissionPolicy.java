package io.vgpuhub.metering.licensing.entitlement;

/** What happens to a new slice of an edition when no seat of it is free ({@code license_edition.admission_policy}). */
public enum AdmissionPolicy {
    /** The request is refused and the tenant is told why (the default). */
    REFUSE,
    /** The slice is admitted without a seat and flagged as unlicensed. */
    ALLOW_UNLICENSED
}
