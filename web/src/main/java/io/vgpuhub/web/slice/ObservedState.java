package io.vgpuhub.web.slice;

/** What a host agent saw of a slice's device after reconciling. */
public enum ObservedState {
    /** The device exists with the slice's type and can be attached. */
    READY,
    /** The agent could not create the device; the reason is the kernel's or NVML's own. */
    FAILED,
    /** The device is gone (the server no longer wanted it). */
    ABSENT
}
