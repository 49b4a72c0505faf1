package io.vgpuhub.web.slice;

/** What a host agent saw of a slice's device after reconciling. */
public enum ObservedState {
    /** The device exists as the slice wants it and can be attached. */
    READY,
    /** The agent could not create the device; the reason is the kernel's or NVML's own. */
    FAILED,
    /** The device is gone (the server no longer wanted it), or the agent never made one. */
    ABSENT
}
