package io.vgpuhub.web.licensing;

/** Whether a running slice of a licensed offering holds a seat of its edition. */
public enum LicenseStatus {
    /** It holds a seat. */
    LICENSED,
    /** It holds none: admitted when no seat was free (the edition allows that), or its seat lapsed while its host was silent. */
    UNLICENSED
}
