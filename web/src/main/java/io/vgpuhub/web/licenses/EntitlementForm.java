package io.vgpuhub.web.licenses;

import java.time.LocalDate;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.entitlement.Entitlements;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.format.annotation.DateTimeFormat;

/**
 * An entitlement as the form carries it: days in UTC. validFrom counts from 00:00 UTC of its day; validUntil is the
 * first day no longer covered (empty: perpetual). Limits are the column's; messages are keyed by constraint in
 * i18n/licenses. Rules across fields (the end after the start) are Entitlements' own.
 */
public class EntitlementForm {

    @NotNull
    private Edition edition;

    @NotNull
    @Min(1)
    @Max(Entitlements.MAX_SEATS)
    private Integer seats;

    @NotNull
    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
    private LocalDate validFrom;

    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
    private LocalDate validUntil;

    @NotBlank
    @Size(max = Entitlements.MAX_ORDER_REFERENCE)
    private String orderReference;

    @Size(max = Entitlements.MAX_NOTES)
    private String notes;

    public Edition getEdition() {
        return edition;
    }

    public void setEdition(Edition edition) {
        this.edition = edition;
    }

    public Integer getSeats() {
        return seats;
    }

    public void setSeats(Integer seats) {
        this.seats = seats;
    }

    public LocalDate getValidFrom() {
        return validFrom;
    }

    public void setValidFrom(LocalDate validFrom) {
        this.validFrom = validFrom;
    }

    public LocalDate getValidUntil() {
        return validUntil;
    }

    public void setValidUntil(LocalDate validUntil) {
        this.validUntil = validUntil;
    }

    public String getOrderReference() {
        return orderReference;
    }

    /** Surrounding spaces are not part of the reference (so a reference of spaces only is missing). */
    public void setOrderReference(String orderReference) {
        this.orderReference = orderReference == null ? null : orderReference.strip();
    }

    public String getNotes() {
        return notes;
    }

    public void setNotes(String notes) {
        this.notes = notes == null || notes.isBlank() ? null : notes.strip();
    }
}
