package io.vgpuhub.web.portal;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** What a tenant fills in to ask for a slice. */
public class SliceRequestForm {

    @NotNull(message = "{slice.request.offering.required}")
    private Long offeringId;

    @NotNull(message = "{slice.request.vmName.required}")
    @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", message = "{slice.request.vmName.invalid}")
    private String vmName;

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
        this.vmName = vmName == null ? null : vmName.strip();
    }
}
