package io.vgpuhub.web.portal;

import io.vgpuhub.web.slice.QuotaUse;

/** A tenant's quota use as the pages show it: counts, GB, and null maxima for "no limit". */
record QuotaView(long slicesUsed, Integer slicesMax, String memoryUsed, String memoryMax, long memoryUsedMib,
        Long memoryMaxMib) {

    static QuotaView of(QuotaUse use) {
        return new QuotaView(use.usedSlices(), use.maxSlices(), Sizes.gigabytes(use.usedFramebufferMib()),
                use.maxFramebufferMib() == null ? null : Sizes.gigabytes(use.maxFramebufferMib()),
                use.usedFramebufferMib(), use.maxFramebufferMib());
    }
}
