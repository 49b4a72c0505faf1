package io.vgpuhub.web.finance.costcentres;

import java.util.Optional;

import io.vgpuhub.metering.chargeback.costcentre.CostCentre;
import io.vgpuhub.metering.chargeback.costcentre.CostCentreInUseException;
import io.vgpuhub.metering.chargeback.costcentre.CostCentreNotFoundException;
import io.vgpuhub.metering.chargeback.costcentre.CostCentres;
import io.vgpuhub.metering.chargeback.costcentre.InvalidCostCentreException;
import io.vgpuhub.metering.chargeback.costcentre.TenantCostCentres;
import io.vgpuhub.web.finance.UnknownFinanceItemException;
import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Cost centres: every tenant with its root, and one tenant's sub cost centres to add, rename, recode and delete.
 * A refused change comes back with the reason and changes nothing.
 */
@Controller
class CostCentresController {

    private final CostCentres costCentres;
    private final CostCentreAdmin admin;
    private final Notices notices;

    CostCentresController(CostCentres costCentres, CostCentreAdmin admin, Notices notices) {
        this.costCentres = costCentres;
        this.admin = admin;
        this.notices = notices;
    }

    @GetMapping("/finance/cost-centres")
    String tenants(Model model) {
        model.addAttribute("tenants", costCentres.tenants());
        return "finance/costcentres/tenants";
    }

    @GetMapping("/finance/cost-centres/{tenantId}")
    String tenant(@PathVariable long tenantId, Model model) {
        model.addAttribute("costCentreForm", new CostCentreForm());
        return page(tenantId, model);
    }

    @PostMapping("/finance/cost-centres/{tenantId}")
    String create(@AuthenticationPrincipal PortalUser user, @PathVariable long tenantId,
            @ModelAttribute("costCentreForm") CostCentreForm form, BindingResult errors, Model model,
            RedirectAttributes redirect) {
        try {
            CostCentre created = admin.create(user, tenantId, form);
            notices.done(redirect, "costcentres.created", created.code(), created.name());
            return redirect(tenantId);
        }
        catch (CostCentreNotFoundException unknown) {
            throw noTenant(tenantId);
        }
        catch (InvalidCostCentreException invalid) {
            for (InvalidCostCentreException.Problem problem : invalid.problems()) {
                errors.rejectValue(problem.field(), "costcentres.invalid." + problem.field() + "." + problem.code(),
                        new Object[] { form.getCode() }, problem.message());
            }
            return page(tenantId, model);
        }
    }

    @PostMapping("/finance/cost-centres/{tenantId}/{id}")
    String update(@AuthenticationPrincipal PortalUser user, @PathVariable long tenantId, @PathVariable long id,
            @ModelAttribute CostCentreForm form, RedirectAttributes redirect) {
        CostCentre before = find(tenantId, id);
        try {
            Optional<CostCentre> saved = admin.update(user, tenantId, id, form, before);
            if (saved.isPresent()) {
                notices.done(redirect, "costcentres.updated", before.code(), saved.get().code(), saved.get().name());
            }
            else {
                notices.refused(redirect, "costcentres.unchanged", before.code());
            }
        }
        catch (InvalidCostCentreException invalid) {
            InvalidCostCentreException.Problem first = invalid.problems().get(0);
            notices.refused(redirect, "costcentres.updateRefused", before.code(),
                    notices.text("costcentres.invalid." + first.field() + "." + first.code(), form.getCode()));
        }
        return redirect(tenantId);
    }

    @PostMapping("/finance/cost-centres/{tenantId}/{id}/delete")
    String delete(@AuthenticationPrincipal PortalUser user, @PathVariable long tenantId, @PathVariable long id,
            RedirectAttributes redirect) {
        CostCentre centre = find(tenantId, id);
        try {
            admin.delete(user, tenantId, id);
            notices.done(redirect, "costcentres.deleted", centre.code(), centre.name());
        }
        catch (CostCentreInUseException inUse) {
            if (inUse.root()) {
                notices.refused(redirect, "costcentres.delete.root", centre.code());
            }
            else {
                notices.refused(redirect, "costcentres.delete.inUse", centre.code(), inUse.slices(), inUse.adjustments(),
                        inUse.statementLines());
            }
        }
        return redirect(tenantId);
    }

    private CostCentre find(long tenantId, long id) {
        TenantCostCentres tenant = tenantOrNotFound(tenantId);
        return tenant.all().stream().filter(c -> c.id() == id).findFirst()
                .orElseThrow(() -> new UnknownFinanceItemException("costcentres.error.noCostCentre", String.valueOf(id),
                        tenant.tenantName()));
    }

    private TenantCostCentres tenantOrNotFound(long tenantId) {
        try {
            return costCentres.forTenant(tenantId);
        }
        catch (CostCentreNotFoundException unknown) {
            throw noTenant(tenantId);
        }
    }

    private static UnknownFinanceItemException noTenant(long tenantId) {
        return new UnknownFinanceItemException("finance.error.noTenant", String.valueOf(tenantId));
    }

    private String page(long tenantId, Model model) {
        model.addAttribute("tenant", tenantOrNotFound(tenantId));
        return "finance/costcentres/tenant";
    }

    private static String redirect(long tenantId) {
        return "redirect:/finance/cost-centres/" + tenantId;
    }
}
