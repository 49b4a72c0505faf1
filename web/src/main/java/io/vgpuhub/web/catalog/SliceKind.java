package io.vgpuhub.web.catalog;

/** How a slice divides its GPU; the same words name the mode a GPU is in. */
public enum SliceKind {
    VGPU, MIG, PASSTHROUGH
}
