package io.vgpuhub.web.portal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vgpuhub.metering.usage.UsageIngestion;
import io.vgpuhub.metering.usage.UsageSampleView;
import io.vgpuhub.web.catalog.Catalog;
import io.vgpuhub.web.security.PortalUser;
import io.vgpuhub.web.slice.NoCapacityException;
import io.vgpuhub.web.slice.SliceLifecycle;
import io.vgpuhub.web.slice.SliceRequests;
import io.vgpuhub.web.slice.SliceView;
import jakarta.validation.Valid;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The tenant's slices: request one, watch it become ready, see what to attach and how it is used, release it. */
@Controller
class SlicesController {

    private final SliceRequests requests;
    private final SliceLifecycle lifecycle;
    private final Catalog catalog;
    private final UsageIngestion usage;

    SlicesController(SliceRequests requests, SliceLifecycle lifecycle, Catalog catalog, UsageIngestion usage) {
        this.requests = requests;
        this.lifecycle = lifecycle;
        this.catalog = catalog;
        this.usage = usage;
    }

    @GetMapping("/slices")
    String slices(@AuthenticationPrincipal PortalUser user, Model model) {
        if (!model.containsAttribute("request")) {
            model.addAttribute("request", new SliceRequestForm());
        }
        List<SliceView> slices = lifecycle.slicesOf(user);
        Map<Long, UsageSampleView> latest = usage.latestFor(slices.stream().map(SliceView::id).toList());
        model.addAttribute("slices", slices);
        model.addAttribute("latestSamples", latest);
        model.addAttribute("offerings", catalog.enabledOfferings());
        model.addAttribute("settling", slices.stream().anyMatch(slice -> !slice.state().isSettled()));
        return "portal/slices";
    }

    @PostMapping("/slices")
    String request(@AuthenticationPrincipal PortalUser user, @Valid @ModelAttribute("request") SliceRequestForm form,
            BindingResult errors, Model model, RedirectAttributes redirect) {
        if (!errors.hasErrors() && catalog.enabledOffering(form.getOfferingId()).isEmpty()) {
            errors.rejectValue("offeringId", "slices.request.offering.unknown");
        }
        if (errors.hasErrors()) {
            return slices(user, model);
        }
        try {
            SliceView slice = requests.request(user, form.getOfferingId(), form.getVmName());
            redirect.addFlashAttribute("requested", slice.uuid());
            return "redirect:/slices";
        }
        catch (NoCapacityException e) {
            errors.reject("slices.request.noCapacity", e.getMessage());
            return slices(user, model);
        }
    }

    @PostMapping("/slices/{sliceId}/release")
    String release(@AuthenticationPrincipal PortalUser user, @PathVariable UUID sliceId, RedirectAttributes redirect) {
        lifecycle.release(user, sliceId);
        redirect.addFlashAttribute("released", sliceId);
        return "redirect:/slices";
    }
}
