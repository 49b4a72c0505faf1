package io.vgpuhub.web.finance.costcentres;

import java.util.Optional;

import io.vgpuhub.metering.chargeback.costcentre.CostCentre;
import io.vgpuhub.metering.chargeback.costcentre.CostCentres;
import io.vgpuhub.web.audit.AuditEvents;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Finance's cost centre changes, each with its audit_event row (for the tenant) in the same transaction. */
@Service
class CostCentreAdmin {

    private final CostCentres costCentres;
    private final AuditEvents audit;

    CostCentreAdmin(CostCentres costCentres, AuditEvents audit) {
        this.costCentres = costCentres;
        this.audit = audit;
    }

    @Transactional
    CostCentre create(PortalUser user, long tenantId, CostCentreForm form) {
        CostCentre created = costCentres.create(tenantId, form.getCode(), form.getName());
        audit.record(user.getUsername(), tenantId, "costcentre.create", target(created), describe(created));
        return created;
    }

    /** @return the cost centre as saved, or empty when it already had this code and name */
    @Transactional
    Optional<CostCentre> update(PortalUser user, long tenantId, long id, CostCentreForm form, CostCentre before) {
        Optional<CostCentre> after = costCentres.update(tenantId, id, form.getCode(), form.getName());
        after.ifPresent(changed -> audit.record(user.getUsername(), tenantId, "costcentre.update", target(changed),
                describe(before) + " \u2192 " + describe(changed)));
        return after;
    }

    @Transactional
    CostCentre delete(PortalUser user, long tenantId, long id) {
        CostCentre deleted = costCentres.delete(tenantId, id);
        audit.record(user.getUsername(), tenantId, "costcentre.delete", target(deleted), describe(deleted));
        return deleted;
    }

    private static String target(CostCentre centre) {
        return "cost centre " + centre.id();
    }

    private static String describe(CostCentre centre) {
        return centre.ref().path() + " \u201c" + centre.name() + "\u201d";
    }
}
