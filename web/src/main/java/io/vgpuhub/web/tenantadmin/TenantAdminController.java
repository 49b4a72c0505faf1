package io.vgpuhub.web.tenantadmin;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.vgpuhub.web.security.PasswordPolicy;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The tenant admin page and its user changes: add a user, set their roles, disable or enable them. */
@Controller
@RequestMapping("/tenant-admin")
class TenantAdminController {

    private final TenantAdminPage page;
    private final TenantUsers users;
    private final PasswordPolicy passwordPolicy;

    TenantAdminController(TenantAdminPage page, TenantUsers users, PasswordPolicy passwordPolicy) {
        this.page = page;
        this.users = users;
        this.passwordPolicy = passwordPolicy;
    }

    @GetMapping
    String overview(@AuthenticationPrincipal PortalUser user, Model model) {
        return page.render(page.admin(user), model);
    }

    @PostMapping("/users")
    String add(@AuthenticationPrincipal PortalUser user, @Valid @ModelAttribute("newUser") NewUserForm form,
            BindingResult errors, Model model, RedirectAttributes redirect) {
        TenantAdmin admin = page.admin(user);
        if (!errors.hasFieldErrors("username") && users.usernameTaken(form.getUsername())) {
            errors.rejectValue("username", "admin.users.add.taken");
        }
        if (!errors.hasFieldErrors("password")) {
            passwordPolicy.problem(form.getUsername(), form.getPassword())
                    .ifPresent(code -> errors.rejectValue("password", code));
        }
        if (errors.hasErrors()) {
            return page.render(admin, model);
        }
        try {
            users.add(admin, form.getDisplayName(), form.getUsername(), form.getPassword(), roles(form.getRoles()));
        }
        catch (UsernameTakenException raced) {
            errors.rejectValue("username", "admin.users.add.taken");
            return page.render(admin, model);
        }
        return notice(redirect, "admin.users.added", form.getUsername());
    }

    @PostMapping("/users/{userId}/roles")
    String roles(@AuthenticationPrincipal PortalUser user, @PathVariable long userId,
            @RequestParam(name = "roles", required = false) List<TenantRole> roles, RedirectAttributes redirect) {
        TenantAdmin admin = page.admin(user);
        String username = users.lock(admin, userId).username();
        try {
            users.setRoles(admin, userId, roles(roles));
        }
        catch (TenantAdminRefusal refused) {
            return refusal(redirect, refused);
        }
        return notice(redirect, "admin.users.rolesSaved", username);
    }

    @PostMapping("/users/{userId}/disable")
    String disable(@AuthenticationPrincipal PortalUser user, @PathVariable long userId, RedirectAttributes redirect) {
        return setEnabled(user, userId, false, redirect);
    }

    @PostMapping("/users/{userId}/enable")
    String enable(@AuthenticationPrincipal PortalUser user, @PathVariable long userId, RedirectAttributes redirect) {
        return setEnabled(user, userId, true, redirect);
    }

    private String setEnabled(PortalUser user, long userId, boolean enabled, RedirectAttributes redirect) {
        TenantAdmin admin = page.admin(user);
        String username = users.lock(admin, userId).username();
        try {
            users.setEnabled(admin, userId, enabled);
        }
        catch (TenantAdminRefusal refused) {
            return refusal(redirect, refused);
        }
        return notice(redirect, enabled ? "admin.users.enabled" : "admin.users.disabled", username);
    }

    private static Set<TenantRole> roles(List<TenantRole> roles) {
        return roles == null || roles.isEmpty() ? EnumSet.noneOf(TenantRole.class) : EnumSet.copyOf(roles);
    }

    static String notice(RedirectAttributes redirect, String key, String argument) {
        redirect.addFlashAttribute("notice", key);
        redirect.addFlashAttribute("noticeArg", argument);
        return "redirect:/tenant-admin";
    }

    static String refusal(RedirectAttributes redirect, TenantAdminRefusal refused) {
        redirect.addFlashAttribute("refusal", refused.messageKey());
        return "redirect:/tenant-admin";
    }
}
