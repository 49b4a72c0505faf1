package io.vgpuhub.web.portal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.web.catalog.SliceKind;
import io.vgpuhub.web.placement.FreeCapacity;

import org.springframework.stereotype.Component;

/** The offerings a tenant sees, each with its free capacity and shown price, grouped by GPU model and kind. */
@Component
class CatalogEntries {

    private final TenantCatalog catalog;
    private final FreeCapacity capacity;
    private final Prices prices;

    CatalogEntries(TenantCatalog catalog, FreeCapacity capacity, Prices prices) {
        this.catalog = catalog;
        this.capacity = capacity;
        this.prices = prices;
    }

    List<CatalogEntry> forTenant(long tenantId) {
        Map<Long, Integer> free = capacity.freeInstancesByOffering();
        return catalog.visibleTo(tenantId).stream()
                .map(o -> new CatalogEntry(o, free.getOrDefault(o.id(), 0), prices.perHour(o.pricePerHour())))
                .toList();
    }

    /** Keeps the catalog's order: models as they come, and within each model its kinds as they come. */
    static List<ModelGroup> byModelAndKind(List<CatalogEntry> entries) {
        Map<String, Map<SliceKind, List<CatalogEntry>>> grouped = new LinkedHashMap<>();
        for (CatalogEntry entry : entries) {
            grouped.computeIfAbsent(entry.offering().gpuModel(), model -> new LinkedHashMap<>())
                    .computeIfAbsent(entry.offering().kind(), kind -> new ArrayList<>()).add(entry);
        }
        return grouped.entrySet().stream()
                .map(model -> new ModelGroup(model.getKey(), model.getValue().entrySet().stream()
                        .map(kind -> new KindGroup(kind.getKey(), kind.getValue())).toList()))
                .toList();
    }

    /** An offering with how many more the cluster could place now, and its price as shown. */
    record CatalogEntry(CatalogOffering offering, int free, String pricePerHour) {
    }

    record ModelGroup(String gpuModel, List<KindGroup> kinds) {

        /** The id the catalog's table of contents links to. */
        public String anchor() {
            return "gpu-" + gpuModel.replaceAll("[^A-Za-z0-9-]", "-");
        }
    }

    record KindGroup(SliceKind kind, List<CatalogEntry> offerings) {
    }
}
