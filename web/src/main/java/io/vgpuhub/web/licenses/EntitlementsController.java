package io.vgpuhub.web.licenses;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.entitlement.EntitlementView;
import io.vgpuhub.metering.licensing.entitlement.Entitlements;
import io.vgpuhub.metering.licensing.entitlement.InvalidEntitlementException;
import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.i18n.UtcFormat;
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

/** Entitlements: the list, a form to record one, to correct one, and expiring one now. */
@Controller
class EntitlementsController {

    private final Entitlements entitlements;
    private final LicenseAdmin admin;
    private final Notices notices;
    private final Clock clock;

    EntitlementsController(Entitlements entitlements, LicenseAdmin admin, Notices notices, Clock clock) {
        this.entitlements = entitlements;
        this.admin = admin;
        this.notices = notices;
        this.clock = clock;
    }

    @GetMapping("/licenses/entitlements")
    String list(Model model) {
        Instant now = clock.instant();
        model.addAttribute("entitlements", entitlements.list().stream().map(e -> EntitlementRow.of(e, now)).toList());
        return "licenses/entitlements";
    }

    @GetMapping("/licenses/entitlements/new")
    String newForm(Model model) {
        EntitlementForm form = new EntitlementForm();
        form.setValidFrom(UtcFormat.day(clock.instant()));
        model.addAttribute("entitlementForm", form);
        return formPage(null, model);
    }

    @PostMapping("/licenses/entitlements")
    String create(@AuthenticationPrincipal PortalUser user, @Valid @ModelAttribute("entitlementForm") EntitlementForm form,
            BindingResult errors, Model model, RedirectAttributes redirect) {
        if (errors.hasErrors()) {
            return formPage(null, model);
        }
        try {
            EntitlementView created = admin.create(user, form);
            notices.done(redirect, "licenses.entitlements.created", created.seats(), created.edition().name(),
                    created.orderReference());
            return "redirect:/licenses/entitlements";
        }
        catch (InvalidEntitlementException invalid) {
            reject(errors, invalid);
            return formPage(null, model);
        }
    }

    @GetMapping("/licenses/entitlements/{id}")
    String edit(@PathVariable long id, Model model) {
        EntitlementView entitlement = entitlements.get(id);
        model.addAttribute("entitlementForm", LicenseAdmin.form(entitlement));
        return formPage(entitlement, model);
    }

    @PostMapping("/licenses/entitlements/{id}")
    String update(@AuthenticationPrincipal PortalUser user, @PathVariable long id,
            @Valid @ModelAttribute("entitlementForm") EntitlementForm form, BindingResult errors, Model model,
            RedirectAttributes redirect) {
        EntitlementView entitlement = entitlements.get(id);
        if (errors.hasErrors()) {
            return formPage(entitlement, model);
        }
        try {
            Optional<EntitlementView> saved = admin.update(user, id, form);
            if (saved.isPresent()) {
                notices.done(redirect, "licenses.entitlements.updated", entitlement.orderReference());
            }
            else {
                notices.refused(redirect, "licenses.entitlements.unchanged", entitlement.orderReference());
            }
            return "redirect:/licenses/entitlements";
        }
        catch (InvalidEntitlementException invalid) {
            reject(errors, invalid);
            return formPage(entitlement, model);
        }
    }

    @PostMapping("/licenses/entitlements/{id}/expire")
    String expire(@AuthenticationPrincipal PortalUser user, @PathVariable long id, RedirectAttributes redirect) {
        EntitlementView entitlement = entitlements.get(id);
        if (admin.expire(user, id).isPresent()) {
            notices.done(redirect, "licenses.entitlements.expired", entitlement.seats(), entitlement.edition().name(),
                    entitlement.orderReference());
        }
        else {
            notices.refused(redirect, "licenses.entitlements.alreadyEnded", entitlement.orderReference());
        }
        return "redirect:/licenses/entitlements";
    }

    /** The service's own checks (those across fields) shown beside the field, in the reader's language. */
    private static void reject(BindingResult errors, InvalidEntitlementException invalid) {
        for (InvalidEntitlementException.Problem problem : invalid.problems()) {
            errors.rejectValue(problem.field(), "licenses.invalid." + problem.field() + "." + problem.code(),
                    problem.message());
        }
    }

    private String formPage(EntitlementView entitlement, Model model) {
        model.addAttribute("entitlement", entitlement);
        model.addAttribute("editions", Edition.values());
        return "licenses/entitlement";
    }
}
