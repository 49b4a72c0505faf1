package io.vgpuhub.web.portal;

import java.util.List;
import java.util.Optional;

import io.vgpuhub.metering.chargeback.costcentre.CostCentreNotFoundException;
import io.vgpuhub.metering.licensing.NoSeatAvailableException;
import io.vgpuhub.web.security.PortalUser;
import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.QuotaExceededException;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import jakarta.validation.Valid;

import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The request form: which offering, for which VM, how many, billed to which of the tenant's cost centres. A request that cannot be met (no capacity, a quota, no
 * free license seat) comes back to the form with the reason, and nothing is written.
 */
@Controller
class RequestController {

    private final SliceRequests requests;
    private final TenantCatalog catalog;
    private final RequestFormModel formModel;

    RequestController(SliceRequests requests, TenantCatalog catalog, RequestFormModel formModel) {
        this.requests = requests;
        this.catalog = catalog;
        this.formModel = formModel;
    }

    /** The form, with {@code offering} preselected when the tenant came from the catalog. */
    @GetMapping("/slices/new")
    String form(@AuthenticationPrincipal PortalUser user, @RequestParam(name = "offering", required = false) String offering,
            Model model) {
        SliceRequestForm form = new SliceRequestForm();
        if (offering != null) {
            Optional<CatalogOffering> chosen = parseId(offering)
                    .flatMap(id -> catalog.visibleTo(Requester.of(user).tenantId(), id));
            chosen.ifPresent(o -> form.setOfferingId(o.id()));
            model.addAttribute("offeringUnknown", chosen.isEmpty());
        }
        return page(user, form, model);
    }

    @PostMapping("/slices")
    String request(@AuthenticationPrincipal PortalUser user, @Valid @ModelAttribute("request") SliceRequestForm form,
            BindingResult errors, Model model, RedirectAttributes redirect) {
        Requester requester = Requester.of(user);
        if (!errors.hasFieldErrors("offeringId") && catalog.visibleTo(requester.tenantId(), form.getOfferingId()).isEmpty()) {
            errors.rejectValue("offeringId", "slices.request.offering.unknown");
        }
        if (errors.hasErrors()) {
            return page(user, form, model);
        }
        try {
            List<SliceView> placed = requests.request(requester, form.getOfferingId(), form.getVmName(), form.getCount(),
                    form.getCostCentre());
            redirect.addFlashAttribute("requestedCount", placed.size());
            redirect.addFlashAttribute("requestedVm", form.getVmName());
            return "redirect:/slices";
        }
        catch (NoCapacityException e) {
            String code = catalog.visibleTo(requester.tenantId(), form.getOfferingId()).map(CatalogOffering::code).orElse("?");
            errors.reject("slices.request.noCapacity", new Object[] { code, form.getCount() }, e.getMessage());
        }
        catch (QuotaExceededException e) {
            rejectQuota(errors, e);
        }
        catch (CostCentreNotFoundException e) {
            // Deleted since the form was shown, or typed into a crafted request: another tenant's codes are unknown.
            errors.rejectValue("costCentre", "slices.request.costCentre.unknown", new Object[] { e.code() }, e.getMessage());
        }
        catch (NoSeatAvailableException e) {
            // The provider's seat counts are the license administrator's business, not the tenant's.
            errors.reject("slices.request.noSeat", new Object[] {
                    new DefaultMessageSourceResolvable(new String[] { "edition." + e.edition() }, e.editionName()) },
                    e.tenantMessage());
        }
        catch (IllegalArgumentException e) {
            // The offering was disabled between the check above and the request.
            errors.rejectValue("offeringId", "slices.request.offering.unknown");
        }
        return page(user, form, model);
    }

    private static void rejectQuota(BindingResult errors, QuotaExceededException e) {
        switch (e.limit()) {
            case SLICES -> errors.reject("slices.request.quota.slices",
                    new Object[] { e.allowed(), e.inUse(), e.requested() }, e.getMessage());
            case FRAMEBUFFER_MIB -> errors.reject("slices.request.quota.framebuffer",
                    new Object[] { Sizes.gigabytes(e.allowed()), Sizes.gigabytes(e.inUse()), Sizes.gigabytes(e.requested()) },
                    e.getMessage());
        }
    }

    private String page(PortalUser user, SliceRequestForm form, Model model) {
        formModel.addTo(model, Requester.of(user).tenantId(), form);
        return "portal/request";
    }

    private static Optional<Long> parseId(String value) {
        try {
            return Optional.of(Long.parseLong(value.strip()));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
