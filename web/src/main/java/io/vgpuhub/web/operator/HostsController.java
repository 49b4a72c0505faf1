package io.vgpuhub.web.operator;

import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The operator's view of hosts: whether their agents report, what their GPUs carry, readiness, and draining. */
@Controller
class HostsController {

    private final Hosts hosts;
    private final HostReadiness readiness;
    private final Notices notices;

    HostsController(Hosts hosts, HostReadiness readiness, Notices notices) {
        this.hosts = hosts;
        this.readiness = readiness;
        this.notices = notices;
    }

    @GetMapping("/operator/hosts")
    String hosts(Model model) {
        model.addAttribute("hosts", hosts.all());
        return "operator/hosts";
    }

    /** One host with the readiness checks its agent last reported. */
    @GetMapping("/operator/hosts/{hostId}")
    String host(@PathVariable long hostId, Model model) {
        model.addAttribute("host", hosts.get(hostId));
        model.addAttribute("readiness", readiness.of(hostId).orElse(null));
        return "operator/host";
    }

    @PostMapping("/operator/hosts/{hostId}/drain")
    String drain(@AuthenticationPrincipal PortalUser user, @PathVariable long hostId, RedirectAttributes redirect) {
        Hosts.Outcome outcome = hosts.drain(user, hostId);
        if (outcome.changed()) {
            notices.done(redirect, "operator.hosts.drained", outcome.hostName(), outcome.liveSlices());
        }
        else {
            notices.refused(redirect, "operator.hosts.alreadyDraining", outcome.hostName());
        }
        return "redirect:/operator/hosts";
    }

    @PostMapping("/operator/hosts/{hostId}/undrain")
    String undrain(@AuthenticationPrincipal PortalUser user, @PathVariable long hostId, RedirectAttributes redirect) {
        Hosts.Outcome outcome = hosts.undrain(user, hostId);
        if (outcome.changed()) {
            notices.done(redirect, "operator.hosts.undrained." + outcome.state(), outcome.hostName());
        }
        else {
            notices.refused(redirect, "operator.hosts.notDraining", outcome.hostName());
        }
        return "redirect:/operator/hosts";
    }
}
