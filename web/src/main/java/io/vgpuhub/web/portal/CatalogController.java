package io.vgpuhub.web.portal;

import java.util.List;

import io.vgpuhub.web.portal.CatalogEntries.CatalogEntry;
import io.vgpuhub.web.security.PortalUser;
import io.vgpuhub.web.slice.Requester;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** What a tenant can order, grouped by GPU model and kind, with prices and how many would fit right now. */
@Controller
class CatalogController {

    private final CatalogEntries entries;
    private final Prices prices;

    CatalogController(CatalogEntries entries, Prices prices) {
        this.entries = entries;
        this.prices = prices;
    }

    @GetMapping("/catalog")
    String catalog(@AuthenticationPrincipal PortalUser user,
            @RequestParam(name = "available", defaultValue = "false") boolean onlyAvailable, Model model) {
        List<CatalogEntry> shown = entries.forTenant(Requester.of(user).tenantId()).stream()
                .filter(entry -> !onlyAvailable || entry.free() > 0)
                .toList();
        model.addAttribute("models", CatalogEntries.byModelAndKind(shown));
        model.addAttribute("onlyAvailable", onlyAvailable);
        model.addAttribute("currency", prices.currency());
        return "portal/catalog";
    }
}
