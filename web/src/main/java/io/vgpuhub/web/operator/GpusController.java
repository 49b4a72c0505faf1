package io.vgpuhub.web.operator;

import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** GPUs with their mode and a capacity bar (who holds which instance or slot), and setting a GPU's mode. */
@Controller
class GpusController {

    private final GpuMap gpus;
    private final GpuModes modes;
    private final Hosts hosts;
    private final Notices notices;

    GpusController(GpuMap gpus, GpuModes modes, Hosts hosts, Notices notices) {
        this.gpus = gpus;
        this.modes = modes;
        this.hosts = hosts;
        this.notices = notices;
    }

    @GetMapping("/operator/gpus")
    String gpus(@RequestParam(name = "host", required = false) Long hostId, Model model) {
        if (hostId != null) {
            model.addAttribute("host", hosts.get(hostId));
        }
        model.addAttribute("gpus", gpus.gpus(hostId));
        return "operator/gpus";
    }

    @PostMapping("/operator/gpus/{gpuId}/mode")
    String setMode(@AuthenticationPrincipal PortalUser user, @PathVariable long gpuId,
            @RequestParam(name = "mode", required = false) String mode,
            @RequestParam(name = "host", required = false) Long hostId, RedirectAttributes redirect) {
        try {
            GpuModes.Outcome outcome = modes.change(user, gpuId, mode);
            if (outcome.changed()) {
                notices.done(redirect, "operator.gpus.mode.changed", outcome.gpu(), outcome.from(), outcome.to());
            }
            else {
                notices.refused(redirect, "operator.gpus.mode.same", outcome.gpu(), outcome.to());
            }
        }
        catch (RefusedException refused) {
            notices.refused(redirect, refused.messageKey(), refused.args());
        }
        if (hostId != null) {
            redirect.addAttribute("host", hostId);
        }
        return "redirect:/operator/gpus";
    }
}
