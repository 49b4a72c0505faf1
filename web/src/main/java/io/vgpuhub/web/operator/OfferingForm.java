package io.vgpuhub.web.operator;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * What an operator may change on an offering: its list price, its description and which tenants see it (none
 * ticked: every tenant). The limits are the column's; messages are keyed by constraint in i18n/operator.
 */
public class OfferingForm {

    @NotNull
    @DecimalMin("0")
    @Digits(integer = 8, fraction = 4)
    private BigDecimal pricePerHour;

    @Size(max = 500)
    private String description;

    private Set<Long> tenantIds = new LinkedHashSet<>();

    public BigDecimal getPricePerHour() {
        return pricePerHour;
    }

    public void setPricePerHour(BigDecimal pricePerHour) {
        this.pricePerHour = pricePerHour;
    }

    public String getDescription() {
        return description;
    }

    /** Blank means no description; surrounding spaces are not part of it. */
    public void setDescription(String description) {
        this.description = description == null || description.isBlank() ? null : description.strip();
    }

    public Set<Long> getTenantIds() {
        return tenantIds;
    }

    public void setTenantIds(Set<Long> tenantIds) {
        this.tenantIds = tenantIds == null ? new LinkedHashSet<>() : tenantIds;
    }
}
