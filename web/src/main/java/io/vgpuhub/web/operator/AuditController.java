package io.vgpuhub.web.operator;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The audit trail page: who did what to which slice, host, GPU, offering or tenant, and why. */
@Controller
class AuditController {

    private final AuditTrail trail;
    private final Hosts hosts;
    private final OfferingAdmin offerings;

    AuditController(AuditTrail trail, Hosts hosts, OfferingAdmin offerings) {
        this.trail = trail;
        this.hosts = hosts;
        this.offerings = offerings;
    }

    @GetMapping("/operator/audit")
    String audit(@ModelAttribute("filter") AuditFilter filter, BindingResult errors, Model model) {
        model.addAttribute("hosts", hosts.choices());
        model.addAttribute("tenants", offerings.tenants());
        model.addAttribute("kinds", AuditTrail.KINDS);
        // A malformed filter (host=abc) is explained beside its field and shows nothing rather than everything.
        AuditTrail.Page page = errors.hasErrors() ? new AuditTrail.Page(List.of(), 1, false) : trail.page(filter);
        model.addAttribute("page", page);
        if (page.hasNewer()) {
            model.addAttribute("newerUrl", filter.url(page.number() - 1));
        }
        if (page.hasOlder()) {
            model.addAttribute("olderUrl", filter.url(page.number() + 1));
        }
        return "operator/audit";
    }
}
