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

/** Tenants with what they hold and their quotas; the operator sets the quotas. */
@Controller
class TenantsController {

    private final TenantQuotas tenants;
    private final Notices notices;

    TenantsController(TenantQuotas tenants, Notices notices) {
        this.tenants = tenants;
        this.notices = notices;
    }

    @GetMapping("/operator/tenants")
    String tenants(Model model) {
        model.addAttribute("tenants", tenants.all());
        return "operator/tenants";
    }

    @GetMapping("/operator/tenants/{tenantId}")
    String edit(@PathVariable long tenantId, Model model) {
        TenantRow tenant = tenants.get(tenantId);
        QuotaForm form = new QuotaForm();
        form.setMaxSlices(tenant.quotaMaxSlices());
        form.setMaxFramebufferMib(tenant.quotaMaxFramebufferMib());
        model.addAttribute("quotaForm", form);
        model.addAttribute("tenant", tenant);
        return "operator/tenant";
    }

    @PostMapping("/operator/tenants/{tenantId}")
    String update(@AuthenticationPrincipal PortalUser user, @PathVariable long tenantId,
            @Valid @ModelAttribute("quotaForm") QuotaForm form, BindingResult errors, Model model,
            RedirectAttributes redirect) {
        TenantRow tenant = tenants.get(tenantId);
        if (errors.hasErrors()) {
            model.addAttribute("tenant", tenant);
            return "operator/tenant";
        }
        if (tenants.set(user, tenantId, form)) {
            notices.done(redirect, "operator.tenants.updated", tenant.name());
        }
        else {
            notices.refused(redirect, "operator.tenants.unchanged", tenant.name());
        }
        return "redirect:/operator/tenants";
    }
}
