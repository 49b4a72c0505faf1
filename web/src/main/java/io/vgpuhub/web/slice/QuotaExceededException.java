package io.vgpuhub.web.slice;

/** The request would take the tenant past one of its quotas; nothing was reserved. */
public class QuotaExceededException extends RuntimeException {

    /** Which quota: the number of live slices, or their total framebuffer. */
    public enum Limit {
        SLICES, FRAMEBUFFER_MIB
    }

    private final Limit limit;
    private final long allowed;
    private final long inUse;
    private final long requested;

    public QuotaExceededException(Limit limit, long allowed, long inUse, long requested) {
        super(switch (limit) {
            case SLICES -> "Your tenant may hold %d slices; %d are in use and this request asks for %d more."
                    .formatted(allowed, inUse, requested);
            case FRAMEBUFFER_MIB -> "Your tenant may hold %d MiB of GPU memory; %d MiB are in use and this request asks for %d MiB more."
                    .formatted(allowed, inUse, requested);
        });
        this.limit = limit;
        this.allowed = allowed;
        this.inUse = inUse;
        this.requested = requested;
    }

    public Limit limit() {
        return limit;
    }

    public long allowed() {
        return allowed;
    }

    public long inUse() {
        return inUse;
    }

    public long requested() {
        return requested;
    }
}
