package io.vgpuhub.web.portal;

import io.vgpuhub.web.security.PortalUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Sends each person to the page their role starts from. */
@Controller
class HomeController {

    @GetMapping("/")
    String home(@AuthenticationPrincipal PortalUser user) {
        boolean tenantMember = user.getAuthorities().stream()
                .anyMatch(role -> role.getAuthority().equals("ROLE_TENANT_USER") || role.getAuthority().equals("ROLE_TENANT_ADMIN"));
        if (tenantMember) {
            return "redirect:/slices";
        }
        if (user.getAuthorities().stream().anyMatch(role -> role.getAuthority().equals("ROLE_OPERATOR"))) {
            return "redirect:/operator/hosts";
        }
        return "home";
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
