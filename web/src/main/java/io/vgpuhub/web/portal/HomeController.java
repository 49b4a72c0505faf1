package io.vgpuhub.web.portal;

import java.time.Clock;
import java.time.YearMonth;
import java.util.Set;
import java.util.stream.Collectors;

import io.vgpuhub.web.security.PortalUser;
import io.vgpuhub.web.slice.QuotaUse;
import io.vgpuhub.web.slice.Quotas;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The start page: for each of the person's roles, where its work is done. */
@Controller
class HomeController {

    private final Quotas quotas;
    private final Clock clock;

    HomeController(Quotas quotas, Clock clock) {
        this.quotas = quotas;
        this.clock = clock;
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal PortalUser user, Model model) {
        Set<String> roles = user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(role -> role.substring("ROLE_".length())).collect(Collectors.toSet());
        boolean tenantMember = user.tenantId() != null && (roles.contains("TENANT_USER") || roles.contains("TENANT_ADMIN"));
        model.addAttribute("roles", roles);
        model.addAttribute("tenantMember", tenantMember);
        if (tenantMember) {
            QuotaUse use = quotas.useOf(user.tenantId());
            // The slices the quota counts are the live ones: every one not RELEASED.
            model.addAttribute("liveSlices", use.usedSlices());
            model.addAttribute("quota", QuotaView.of(use));
        }
        if (roles.contains("FINANCE")) {
            // Billing months are UTC months; the clock is UTC.
            model.addAttribute("runningMonth", YearMonth.now(clock));
        }
        return "home";
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
