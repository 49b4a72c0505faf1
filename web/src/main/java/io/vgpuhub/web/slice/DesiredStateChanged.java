package io.vgpuhub.web.slice;

/** A host's desired state got a new generation; its agent should fetch it. */
record DesiredStateChanged(long hostId) {
}
