package io.vgpuhub.web.portal;

import java.util.Set;
import java.util.stream.Collectors;

import io.vgpuhub.web.security.PortalUser;
import io.vgpuhub.web.slice.Quotas;
import io.vgpuhub.web.slice.SliceLifecycle;
import io.vgpuhub.web.slice.SliceState;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The start page: for each of the person's roles, where its work is done. */
@Controller
class HomeController {

    private final SliceLifecycle lifecycle;
    private final Quotas quotas;

    HomeController(SliceLifecycle lifecycle, Quotas quotas) {
        this.lifecycle = lifecycle;
        this.quotas = quotas;
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal PortalUser user, Model model) {
        Set<String> roles = user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(role -> role.substring("ROLE_".length())).collect(Collectors.toSet());
        boolean tenantMember = user.tenantId() != null && (roles.contains("TENANT_USER") || roles.contains("TENANT_ADMIN"));
        model.addAttribute("roles", roles);
        model.addAttribute("tenantMember", tenantMember);
        if (tenantMember) {
            model.addAttribute("liveSlices", lifecycle.slicesOf(user.tenantId()).stream()
                    .filter(slice -> slice.state() != SliceState.RELEASED).count());
            model.addAttribute("quota", QuotaView.of(quotas.useOf(user.tenantId())));
        }
        return "home";
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
