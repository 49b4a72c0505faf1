package io.vgpuhub.web.operator.hosttokens;

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
import org.springframework.web.bind.annotation.RequestMapping;
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
            return issued(registry.register(actor(user), form.getName()), model);
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

    @PostMapping("/{hostId}/token/rotate")
    String rotate(@AuthenticationPrincipal PortalUser user, @PathVariable long hostId, Model model) {
        return issued(registry.rotate(actor(user), hostId), model);
    }

    @PostMapping("/{hostId}/token/revoke")
    String revoke(@AuthenticationPrincipal PortalUser user, @PathVariable long hostId, RedirectAttributes redirect) {
        HostRegistry.Revocation revocation = registry.revoke(actor(user), hostId);
        if (revocation.changed()) {
            notices.done(redirect, "operator.hosttokens.revoked", revocation.host().name(), revocation.host().liveSlices());
        }
        else {
            notices.refused(redirect, "operator.hosttokens.alreadyRevoked", revocation.host().name());
        }
        return "redirect:/operator/hosts/" + hostId + "/token";
    }

    private static String issued(IssuedHostToken issued, Model model) {
        model.addAttribute("issued", issued);
        model.addAttribute("serverUrl", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
        return "operator/host-token-issued";
    }

    private static String actor(PortalUser user) {
        return "user:" + user.getUsername();
    }
}
