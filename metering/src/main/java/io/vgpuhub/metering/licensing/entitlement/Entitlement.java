package io.vgpuhub.metering.licensing.entitlement;

import java.time.Instant;

import io.vgpuhub.metering.licensing.Edition;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Seats of one edition the provider bought under one order, valid from an instant until another (exclusive) or for ever. */
@Entity
@Table(name = "license_entitlement")
class Entitlement {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    // Kept as the column's text rather than @Enumerated so the schema validation sees the type it expects.
    @Column(name = "edition", nullable = false)
    private String edition;

    @Column(name = "seats", nullable = false)
    private int seats;

    @Column(name = "valid_from", nullable = false)
    private Instant validFrom;

    @Column(name = "valid_until")
    private Instant validUntil;

    @Column(name = "order_reference", nullable = false)
    private String orderReference;

    @Column(name = "notes")
    private String notes;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Entitlement() {
    }

    Entitlement(EntitlementDraft draft, Instant now) {
        this.createdAt = now;
        apply(draft, now);
    }

    void apply(EntitlementDraft draft, Instant now) {
        this.edition = draft.edition().name();
        this.seats = draft.seats();
        this.validFrom = draft.validFrom();
        this.validUntil = draft.validUntil();
        this.orderReference = draft.orderReference();
        this.notes = draft.notes();
        this.updatedAt = now;
    }

    void endAt(Instant until, Instant now) {
        this.validUntil = until;
        this.updatedAt = now;
    }

    Instant validFrom() {
        return validFrom;
    }

    Instant validUntil() {
        return validUntil;
    }

    EntitlementDraft draft() {
        return new EntitlementDraft(Edition.valueOf(edition), seats, validFrom, validUntil, orderReference, notes);
    }

    EntitlementView view() {
        return new EntitlementView(id, Edition.valueOf(edition), seats, validFrom, validUntil, orderReference, notes,
                createdAt, updatedAt);
    }
}
