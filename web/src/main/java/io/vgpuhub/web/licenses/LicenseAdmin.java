package io.vgpuhub.web.licenses;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import io.vgpuhub.metering.licensing.AdmissionPolicy;
import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.entitlement.EditionPolicies;
import io.vgpuhub.metering.licensing.entitlement.EntitlementDraft;
import io.vgpuhub.metering.licensing.entitlement.EntitlementView;
import io.vgpuhub.metering.licensing.entitlement.Entitlements;
import io.vgpuhub.web.audit.AuditEvents;
import io.vgpuhub.web.i18n.UtcFormat;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The license administrator's changes, each with its audit_event row in the same transaction: both land or neither
 * (a refused entitlement writes no audit row either).
 */
@Service
class LicenseAdmin {

    private final Entitlements entitlements;
    private final EditionPolicies policies;
    private final AuditEvents audit;

    LicenseAdmin(Entitlements entitlements, EditionPolicies policies, AuditEvents audit) {
        this.entitlements = entitlements;
        this.policies = policies;
        this.audit = audit;
    }

    @Transactional
    EntitlementView create(PortalUser user, EntitlementForm form) {
        EntitlementView created = entitlements.create(draft(form, null));
        audit.record(user.getUsername(), null, "entitlement.create", target(created), describe(created));
        return created;
    }

    /** @return the entitlement as saved, or empty when the form matched what was stored (nothing was written) */
    @Transactional
    Optional<EntitlementView> update(PortalUser user, long id, EntitlementForm form) {
        EntitlementView before = entitlements.get(id);
        EntitlementView after = entitlements.update(id, draft(form, before));
        if (after.equals(before)) {
            return Optional.empty();
        }
        audit.record(user.getUsername(), null, "entitlement.update", target(after),
                describe(before) + " → " + describe(after));
        return Optional.of(after);
    }

    /** @return the ended entitlement, or empty when it had already ended */
    @Transactional
    Optional<EntitlementView> expire(PortalUser user, long id) {
        Optional<EntitlementView> ended = entitlements.expire(id);
        ended.ifPresent(e -> audit.record(user.getUsername(), null, "entitlement.expire", target(e), describe(e)));
        return ended;
    }

    @Transactional
    boolean setAdmissionPolicy(PortalUser user, Edition edition, AdmissionPolicy policy) {
        boolean changed = policies.setAdmissionPolicy(edition, policy);
        if (changed) {
            audit.record(user.getUsername(), null, "license.admission-policy", edition.name(), policy.name());
        }
        return changed;
    }

    /** @return how many passthrough offerings changed edition */
    @Transactional
    int setPassthroughEdition(PortalUser user, Edition edition) {
        int changed = policies.setPassthroughEdition(edition);
        if (changed > 0) {
            audit.record(user.getUsername(), null, "license.passthrough-edition", "passthrough offerings",
                    edition.name() + " (" + changed + " offerings)");
        }
        return changed;
    }

    /**
     * Days from the form as instants at 00:00 UTC; a day the form leaves as it was keeps the stored instant (an
     * entitlement expired at 14:20 shows its day, and saving the form does not move its end to midnight).
     */
    static EntitlementDraft draft(EntitlementForm form, EntitlementView stored) {
        Instant from = keep(form.getValidFrom(), stored == null ? null : stored.validFrom());
        Instant until = keep(form.getValidUntil(), stored == null ? null : stored.validUntil());
        return new EntitlementDraft(form.getEdition(), form.getSeats(), from, until, form.getOrderReference(),
                form.getNotes());
    }

    private static Instant keep(LocalDate day, Instant stored) {
        if (day != null && stored != null && day.equals(UtcFormat.day(stored))) {
            return stored;
        }
        return UtcFormat.startOf(day);
    }

    static EntitlementForm form(EntitlementView entitlement) {
        EntitlementForm form = new EntitlementForm();
        form.setEdition(entitlement.edition());
        form.setSeats(entitlement.seats());
        form.setValidFrom(UtcFormat.day(entitlement.validFrom()));
        form.setValidUntil(UtcFormat.day(entitlement.validUntil()));
        form.setOrderReference(entitlement.orderReference());
        form.setNotes(entitlement.notes());
        return form;
    }

    private static String target(EntitlementView e) {
        return "entitlement " + e.id();
    }

    private static String describe(EntitlementView e) {
        return e.edition() + ", " + e.seats() + " seats, " + UtcFormat.instant(e.validFrom()) + " to "
                + (e.validUntil() == null ? "perpetual" : UtcFormat.instant(e.validUntil())) + ", order "
                + e.orderReference();
    }
}
