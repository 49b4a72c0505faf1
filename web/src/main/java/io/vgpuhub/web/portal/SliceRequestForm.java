package io.vgpuhub.web.portal;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** What a tenant fills in to ask for a slice; the error messages are keyed by constraint in messages.properties. */
public class SliceRequestForm {

    @NotNull
    private Long offeringId;

    @NotNull
    @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
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
