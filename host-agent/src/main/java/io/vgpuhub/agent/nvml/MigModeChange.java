package io.vgpuhub.agent.nvml;

/** What {@link Mig#setMode} did. */
public enum MigModeChange {
    /** The GPU was already in (and pending) the requested mode; NVML was not asked. */
    UNCHANGED,
    /** The mode is current now. */
    APPLIED,
    /** NVML accepted the change but it takes effect at the next GPU reset (Ampere). */
    PENDING_RESET
}
