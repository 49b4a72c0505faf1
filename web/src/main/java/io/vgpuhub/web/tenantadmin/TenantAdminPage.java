package io.vgpuhub.web.tenantadmin;

import io.vgpuhub.web.apitoken.ApiTokens;
import io.vgpuhub.web.security.PortalUser;
import io.vgpuhub.web.slice.Quotas;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The tenant admin page's model, shared by the page and by the forms that show it again with their errors. Also
 * where each request re-checks, in the database, that the signed-in user is still an admin of the tenant: a role
 * taken away or an account disabled counts at once, not at their next sign-in.
 */
@Component
class TenantAdminPage {

    static final String VIEW = "tenantadmin/index";

    private final TenantUsers users;
    private final ApiTokens tokens;
    private final Quotas quotas;

    TenantAdminPage(TenantUsers users, ApiTokens tokens, Quotas quotas) {
        this.users = users;
        this.tokens = tokens;
        this.quotas = quotas;
    }

    TenantAdmin admin(PortalUser user) {
        return users.admin(user.userId())
                .orElseThrow(() -> new AccessDeniedException(user.getUsername() + " is no longer a tenant admin"));
    }

    String render(TenantAdmin admin, Model model) {
        if (!model.containsAttribute("newUser")) {
            model.addAttribute("newUser", new NewUserForm());
        }
        if (!model.containsAttribute("newToken")) {
            model.addAttribute("newToken", new NewTokenForm());
        }
        model.addAttribute("admin", admin);
        model.addAttribute("users", users.of(admin.tenantId()));
        model.addAttribute("quota", quotas.useOf(admin.tenantId()));
        model.addAttribute("tokens", tokens.of(admin.tenantId()));
        return VIEW;
    }
}
