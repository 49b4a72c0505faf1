package io.vgpuhub.web.operator.hosttokens;

import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.operator.AuditLog;
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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Registering a host, and rotating or revoking its agent token. A new token is shown on the answer to the form, once,
 * and kept nowhere, not even in the session (as the tenant admins' API tokens).
 */
@Controller
@RequestMapping("/operator/hosts")
class HostTokensController {

    private final HostRegistry registry;
    private final Notices notices;

    HostTokensController(HostRegistry registry, Notices notices) {
        this.registry = registry;
        this.notices = notices;
    }

    @GetMapping("/new")
    String newHost(Model model) {
        model.addAttribute("newHost", new NewHostForm());
        return "operator/host-new";
    }

    @PostMapping
    String register(@AuthenticationPrincipal PortalUser user, @Valid @ModelAttribute("newHost") NewHostForm form,
            BindingResult errors, Model model) {
        if (errors.hasErrors()) {
            return "operator/host-new";
        }
        try {
            return issued(registry.register(AuditLog.actor(user), form.getName()), model);
        }
        catch (HostNameTakenException e) {
            errors.rejectValue("name", "operator.hosttokens.name.taken", new Object[] { form.getName() }, null);
            return "operator/host-new";
        }
    }

    @GetMapping("/{hostId}/token")
    String token(@PathVariable long hostId, Model model) {
        model.addAttribute("host", registry.get(hostId));
        return "operator/host-token";
    }

    /**
     * The forms send back the token as the page showed it ({@link HostTokenView.Seen}); a form without it is refused
     * (400) by the operator pages' handler, and one from a page that is out of date changes nothing.
     */
    @PostMapping("/{hostId}/token/rotate")
    String rotate(@AuthenticationPrincipal PortalUser user, @PathVariable long hostId, @RequestParam long issuedAt,
            @RequestParam boolean revoked, Model model, RedirectAttributes redirect) {
        try {
            return issued(registry.rotate(AuditLog.actor(user), hostId, new HostTokenView.Seen(issuedAt, revoked)), model);
        }
        catch (TokenChangedException e) {
            return changed(e.current(), redirect);
        }
    }

    @PostMapping("/{hostId}/token/revoke")
    String revoke(@AuthenticationPrincipal PortalUser user, @PathVariable long hostId, @RequestParam long issuedAt,
            @RequestParam boolean revoked, RedirectAttributes redirect) {
        HostRegistry.Revocation revocation;
        try {
            revocation = registry.revoke(AuditLog.actor(user), hostId, new HostTokenView.Seen(issuedAt, revoked));
        }
        catch (TokenChangedException e) {
            return changed(e.current(), redirect);
        }
        if (revocation.changed()) {
            notices.done(redirect, "operator.hosttokens.revoked", revocation.host().name(), revocation.host().liveSlices());
        }
        else {
            notices.refused(redirect, "operator.hosttokens.alreadyRevoked", revocation.host().name());
        }
        return tokenPage(hostId);
    }

    private String changed(HostTokenView now, RedirectAttributes redirect) {
        if (now.revoked()) {
            notices.refused(redirect, "operator.hosttokens.changed.revoked", now.name(), now.revokedUtc());
        }
        else {
            notices.refused(redirect, "operator.hosttokens.changed.issued", now.name(), now.issuedUtc());
        }
        return tokenPage(now.id());
    }

    private static String tokenPage(long hostId) {
        return "redirect:/operator/hosts/" + hostId + "/token";
    }

    private static String issued(IssuedHostToken issued, Model model) {
        model.addAttribute("issued", issued);
        model.addAttribute("serverUrl", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
        return "operator/host-token-issued";
    }
}
