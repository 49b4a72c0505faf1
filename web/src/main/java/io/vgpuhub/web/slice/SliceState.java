package io.vgpuhub.web.slice;

/** Where a slice is in its life; every change is recorded as a slice event. */
public enum SliceState {
    REQUESTED, PLACED, PROVISIONING, READY, RELEASING, RELEASED, FAILED;

    public boolean isSettled() {
        return this == READY || this == RELEASED || this == FAILED;
    }

    /** Placed and not let go: the slice's device may exist for the tenant, and it holds its license seat if it needs one. */
    public boolean isRunning() {
        return this == PLACED || this == PROVISIONING || this == READY;
    }
}
