package io.vgpuhub.web.portal;

import java.util.List;
import java.util.UUID;

import io.vgpuhub.web.security.PortalUser;
import io.vgpuhub.web.slice.Requester;
import io.vgpuhub.web.slice.SliceLifecycle;
import io.vgpuhub.web.slice.SliceState;
import io.vgpuhub.web.slice.SliceView;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The tenant's slices: watch them become ready (the list refreshes itself while any is on its way), see what to
 * attach and how each is used, release one after confirming.
 */
@Controller
class SlicesController {

    private final SliceRows rows;
    private final SliceLifecycle lifecycle;
    private final RequestFormModel formModel;
    private final Prices prices;

    SlicesController(SliceRows rows, SliceLifecycle lifecycle, RequestFormModel formModel, Prices prices) {
        this.rows = rows;
        this.lifecycle = lifecycle;
        this.formModel = formModel;
        this.prices = prices;
    }

    @GetMapping("/slices")
    String slices(@AuthenticationPrincipal PortalUser user, Model model) {
        long tenantId = Requester.of(user).tenantId();
        addList(tenantId, model);
        formModel.addTo(model, tenantId, new SliceRequestForm());
        return "portal/slices";
    }

    /** The list alone, which the page polls (htmx) while a slice is still on its way. */
    @GetMapping("/slices/live")
    String live(@AuthenticationPrincipal PortalUser user, Model model) {
        addList(Requester.of(user).tenantId(), model);
        return "portal/slices :: list";
    }

    /** Asks before releasing: a page, so that it works without JavaScript. */
    @GetMapping("/slices/{sliceId}/release")
    String confirmRelease(@AuthenticationPrincipal PortalUser user, @PathVariable UUID sliceId, Model model) {
        model.addAttribute("slice", lifecycle.sliceOf(Requester.of(user).tenantId(), sliceId));
        return "portal/release";
    }

    @PostMapping("/slices/{sliceId}/release")
    String release(@AuthenticationPrincipal PortalUser user, @PathVariable UUID sliceId, RedirectAttributes redirect) {
        Requester requester = Requester.of(user);
        lifecycle.release(requester, sliceId);
        SliceView released = lifecycle.sliceOf(requester.tenantId(), sliceId);
        redirect.addFlashAttribute("released", sliceId.toString());
        redirect.addFlashAttribute("releasedVm", released.vmName());
        // A slice without a device (placed, failed) is released at once; one with a device waits for its host.
        redirect.addFlashAttribute("releasedNow", released.state() == SliceState.RELEASED);
        return "redirect:/slices";
    }

    private void addList(long tenantId, Model model) {
        List<SliceRow> all = rows.of(tenantId);
        model.addAttribute("live", all.stream().filter(row -> row.slice().state() != SliceState.RELEASED).toList());
        model.addAttribute("history", all.stream().filter(row -> row.slice().state() == SliceState.RELEASED).toList());
        model.addAttribute("settling", all.stream().anyMatch(row -> !row.slice().state().isSettled()));
        model.addAttribute("currency", prices.currency());
    }
}
