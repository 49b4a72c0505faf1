package io.vgpuhub.web.slice;

/**
 * A tenant's quotas and what its live slices use of them. A null maximum means no limit.
 */
public record QuotaUse(Integer maxSlices, long usedSlices, Long maxFramebufferMib, long usedFramebufferMib) {
}
