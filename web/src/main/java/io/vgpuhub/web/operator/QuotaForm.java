package io.vgpuhub.web.operator;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** A tenant's quotas as the operator enters them; an empty field means no limit. */
public class QuotaForm {

    @Min(0)
    @Max(100_000)
    private Integer maxSlices;

    /** Up to 1 PiB: far above any cluster, far below the column's limit. */
    @Min(0)
    @Max(1L << 30)
    private Long maxFramebufferMib;

    public Integer getMaxSlices() {
        return maxSlices;
    }

    public void setMaxSlices(Integer maxSlices) {
        this.maxSlices = maxSlices;
    }

    public Long getMaxFramebufferMib() {
        return maxFramebufferMib;
    }

    public void setMaxFramebufferMib(Long maxFramebufferMib) {
        this.maxFramebufferMib = maxFramebufferMib;
    }
}
