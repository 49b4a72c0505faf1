package io.vgpuhub.web.tenantadmin;

import java.time.Duration;

import io.vgpuhub.web.apitoken.ApiTokenNameTakenException;
import io.vgpuhub.web.apitoken.ApiTokenNotFoundException;
import io.vgpuhub.web.apitoken.ApiTokenView;
import io.vgpuhub.web.apitoken.ApiTokens;
import io.vgpuhub.web.apitoken.IssuedApiToken;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The tenant's API tokens: issue one (its secret is shown on the answer to the form, once, and kept nowhere, not even
 * in the session), and revoke one after a confirmation page.
 */
@Controller
@RequestMapping("/tenant-admin/tokens")
class TenantTokensController {

    private final TenantAdminPage page;
    private final ApiTokens tokens;

    TenantTokensController(TenantAdminPage page, ApiTokens tokens) {
        this.page = page;
        this.tokens = tokens;
    }

    @PostMapping
    String issue(@AuthenticationPrincipal PortalUser user, @Valid @ModelAttribute("newToken") NewTokenForm form,
            BindingResult errors, Model model) {
        TenantAdmin admin = page.admin(user);
        if (errors.hasErrors()) {
            return page.render(admin, model);
        }
        try {
            Duration validFor = form.getValidForDays() == null ? null : Duration.ofDays(form.getValidForDays());
            IssuedApiToken issued = tokens.issue(admin.tenantId(), admin.userId(), admin.actor(), form.getName(), validFor);
            model.addAttribute("issued", issued);
            model.addAttribute("apiUrl",
                    ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/v1/offerings").toUriString());
            return "tenantadmin/token-issued";
        }
        catch (ApiTokenNameTakenException e) {
            errors.rejectValue("name", "admin.tokens.issue.taken");
            return page.render(admin, model);
        }
    }

    @GetMapping("/{tokenId}/revoke")
    String confirmRevoke(@AuthenticationPrincipal PortalUser user, @PathVariable long tokenId, Model model) {
        TenantAdmin admin = page.admin(user);
        ApiTokenView token = tokens.find(admin.tenantId(), tokenId).orElseThrow(() -> new ApiTokenNotFoundException(tokenId));
        model.addAttribute("token", token);
        return "tenantadmin/revoke-token";
    }

    @PostMapping("/{tokenId}/revoke")
    String revoke(@AuthenticationPrincipal PortalUser user, @PathVariable long tokenId, RedirectAttributes redirect) {
        TenantAdmin admin = page.admin(user);
        ApiTokenView token = tokens.revoke(admin.tenantId(), tokenId, admin.actor());
        return TenantAdminController.notice(redirect, "admin.tokens.revoked", token.name());
    }
}
