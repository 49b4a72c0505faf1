package io.vgpuhub.web.operator;

/** A tenant with what it holds now and its quotas (null: no limit). */
record TenantRow(long id, String name, Integer quotaMaxSlices, Long quotaMaxFramebufferMib, long liveSlices,
        long liveFramebufferMib) {

    /** Already past a quota (it was lowered below use): new requests are refused until slices are released. */
    public boolean overQuota() {
        return (quotaMaxSlices != null && liveSlices > quotaMaxSlices)
                || (quotaMaxFramebufferMib != null && liveFramebufferMib > quotaMaxFramebufferMib);
    }
}
