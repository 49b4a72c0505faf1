package io.vgpuhub.web.operator;

import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.security.PortalUser;
import jakarta.validation.Valid;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Offerings by GPU model and kind: switch them on and off, set price, description and which tenants see them. */
@Controller
class OfferingsController {

    private final OfferingAdmin offerings;
    private final Notices notices;

    OfferingsController(OfferingAdmin offerings, Notices notices) {
        this.offerings = offerings;
        this.notices = notices;
    }

    @GetMapping("/operator/offerings")
    String offerings(Model model) {
        model.addAttribute("groups", offerings.grouped());
        return "operator/offerings";
    }

    @PostMapping("/operator/offerings/{offeringId}/enable")
    String enable(@AuthenticationPrincipal PortalUser user, @PathVariable long offeringId, RedirectAttributes redirect) {
        return setEnabled(user, offeringId, true, redirect);
    }

    @PostMapping("/operator/offerings/{offeringId}/disable")
    String disable(@AuthenticationPrincipal PortalUser user, @PathVariable long offeringId, RedirectAttributes redirect) {
        return setEnabled(user, offeringId, false, redirect);
    }

    private String setEnabled(PortalUser user, long offeringId, boolean enabled, RedirectAttributes redirect) {
        String code = offerings.get(offeringId).code();
        if (offerings.setEnabled(user, offeringId, enabled)) {
            notices.done(redirect, enabled ? "operator.offerings.enabled" : "operator.offerings.disabled", code);
        }
        else {
            notices.refused(redirect, enabled ? "operator.offerings.alreadyEnabled" : "operator.offerings.alreadyDisabled",
                    code);
        }
        return "redirect:/operator/offerings";
    }

    @GetMapping("/operator/offerings/{offeringId}")
    String edit(@PathVariable long offeringId, Model model) {
        OfferingRow offering = offerings.get(offeringId);
        OfferingForm form = new OfferingForm();
        form.setPricePerHour(offering.pricePerHour().stripTrailingZeros());
        form.setDescription(offering.description());
        form.setTenantIds(offerings.visibleTo(offeringId));
        model.addAttribute("offeringForm", form);
        return editPage(offering, model);
    }

    @PostMapping("/operator/offerings/{offeringId}")
    String update(@AuthenticationPrincipal PortalUser user, @PathVariable long offeringId,
            @Valid @ModelAttribute("offeringForm") OfferingForm form, BindingResult errors, Model model,
            RedirectAttributes redirect) {
        OfferingRow offering = offerings.get(offeringId);
        if (errors.hasErrors()) {
            return editPage(offering, model);
        }
        try {
            int changes = offerings.update(user, offeringId, form);
            if (changes == 0) {
                notices.refused(redirect, "operator.offerings.unchanged", offering.code());
            }
            else {
                notices.done(redirect, "operator.offerings.updated", offering.code());
            }
            return "redirect:/operator/offerings";
        }
        catch (RefusedException refused) {
            errors.reject(refused.messageKey(), refused.args(), null);
            return editPage(offering, model);
        }
    }

    private String editPage(OfferingRow offering, Model model) {
        model.addAttribute("offering", offering);
        model.addAttribute("tenants", offerings.tenants());
        return "operator/offering";
    }
}
