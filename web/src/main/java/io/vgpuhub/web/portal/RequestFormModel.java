package io.vgpuhub.web.portal;

import java.util.List;

import io.vgpuhub.metering.chargeback.costcentre.CostCentres;
import io.vgpuhub.web.portal.CatalogEntries.CatalogEntry;
import io.vgpuhub.web.slice.Quotas;

import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What the request form fragment needs (the offerings to choose from, the chosen one, quota use, the tenant's cost
 * centres to bill to) on any page.
 */
@Component
class RequestFormModel {

    private final CatalogEntries entries;
    private final Quotas quotas;
    private final Prices prices;
    private final CostCentres costCentres;

    RequestFormModel(CatalogEntries entries, Quotas quotas, Prices prices, CostCentres costCentres) {
        this.costCentres = costCentres;
        this.entries = entries;
        this.quotas = quotas;
        this.prices = prices;
    }

    void addTo(Model model, long tenantId, SliceRequestForm form) {
        List<CatalogEntry> offerings = entries.forTenant(tenantId);
        if (!model.containsAttribute("request")) {
            model.addAttribute("request", form);
        }
        model.addAttribute("models", CatalogEntries.byModelAndKind(offerings));
        model.addAttribute("chosen", offerings.stream()
                .filter(e -> form.getOfferingId() != null && e.offering().id() == form.getOfferingId())
                .findFirst().orElse(null));
        model.addAttribute("quota", QuotaView.of(quotas.useOf(tenantId)));
        model.addAttribute("currency", prices.currency());
        model.addAttribute("maxCount", SliceRequestForm.MAX_COUNT);
        model.addAttribute("costCentres", costCentres.forTenant(tenantId).all());
    }
}
