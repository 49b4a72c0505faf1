package io.vgpuhub.web.licenses;

import java.util.Set;

import io.vgpuhub.metering.licensing.AdmissionPolicy;
import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.entitlement.EditionPolicies;
import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Per edition, what happens when its seats run out; and which edition a whole GPU by passthrough needs. */
@Controller
class PoliciesController {

    private final EditionPolicies policies;
    private final LicenseAdmin admin;
    private final Notices notices;

    PoliciesController(EditionPolicies policies, LicenseAdmin admin, Notices notices) {
        this.policies = policies;
        this.admin = admin;
        this.notices = notices;
    }

    @GetMapping("/licenses/policies")
    String policies(Model model) {
        model.addAttribute("editions", policies.editions());
        model.addAttribute("policies", AdmissionPolicy.values());
        model.addAttribute("passthroughChoices", EditionPolicies.PASSTHROUGH_EDITIONS);
        Set<Edition> current = policies.passthroughEditions();
        model.addAttribute("passthroughEdition", current.size() == 1 ? current.iterator().next() : null);
        model.addAttribute("passthroughMixed", current.size() > 1);
        return "licenses/policies";
    }

    @PostMapping("/licenses/policies/admission")
    String admission(@AuthenticationPrincipal PortalUser user, @RequestParam Edition edition,
            @RequestParam AdmissionPolicy policy, RedirectAttributes redirect) {
        if (admin.setAdmissionPolicy(user, edition, policy)) {
            notices.done(redirect, "licenses.policies.admission.saved." + policy.name(), edition.name());
        }
        else {
            notices.refused(redirect, "licenses.policies.unchanged");
        }
        return "redirect:/licenses/policies";
    }

    @PostMapping("/licenses/policies/passthrough")
    String passthrough(@AuthenticationPrincipal PortalUser user, @RequestParam Edition edition,
            RedirectAttributes redirect) {
        if (!EditionPolicies.PASSTHROUGH_EDITIONS.contains(edition)) {
            notices.refused(redirect, "licenses.policies.passthrough.invalid", edition.name());
        }
        else if (admin.setPassthroughEdition(user, edition) > 0) {
            notices.done(redirect, "licenses.policies.passthrough.saved", edition.name());
        }
        else {
            notices.refused(redirect, "licenses.policies.unchanged");
        }
        return "redirect:/licenses/policies";
    }
}
