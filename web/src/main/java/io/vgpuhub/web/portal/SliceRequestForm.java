package io.vgpuhub.web.portal;

import io.vgpuhub.web.slice.SliceRequests;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What a tenant fills in to ask for slices for one VM; the error messages are keyed by constraint and field
 * (e.g. {@code Max.request.count}) in i18n/portal.properties.
 */
public class SliceRequestForm {

    /** The most slices one request may ask for; a VM takes at most this many GPUs. */
    static final int MAX_COUNT = 8;

    @NotNull
    private Long offeringId;

    @NotNull
    @Pattern(regexp = SliceRequests.VM_NAME_REGEX)
    private String vmName;

    @NotNull
    @Min(1)
    @Max(MAX_COUNT)
    private Integer count = 1;

    /** The code of the tenant's cost centre the slices bill to; empty: the tenant's root. */
    private String costCentre;

    public Long getOfferingId() {
        return offeringId;
    }

    public void setOfferingId(Long offeringId) {
        this.offeringId = offeringId;
    }

    public String getVmName() {
        return vmName;
    }

    public void setVmName(String vmName) {
        // Blank is "not given", so the form says so instead of quoting the name rules.
        this.vmName = vmName == null || vmName.isBlank() ? null : vmName.strip();
    }

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }

    public String getCostCentre() {
        return costCentre;
    }

    public void setCostCentre(String costCentre) {
        this.costCentre = costCentre == null || costCentre.isBlank() ? null : costCentre.strip();
    }
}
