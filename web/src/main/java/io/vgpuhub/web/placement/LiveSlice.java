package io.vgpuhub.web.placement;

/**
 * A slice that holds part of a GPU: any state but RELEASED (a FAILED slice keeps its place until it is released).
 * The MIG fields are null for other kinds.
 */
record LiveSlice(long offeringId, String migProfile, Integer migStart, Integer migSize) {
}
