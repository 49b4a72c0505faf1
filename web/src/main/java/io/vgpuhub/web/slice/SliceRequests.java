package io.vgpuhub.web.slice;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.web.catalog.Catalog;
import io.vgpuhub.web.catalog.Offering;
import io.vgpuhub.web.placement.Placement;
import io.vgpuhub.web.placement.VgpuPlacement;
import io.vgpuhub.web.security.PortalUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A tenant's request for a slice: placement and the slice's insert in one transaction, so a slice either exists
 * with its place reserved or not at all. The schema's constraints are the last line behind the placement.
 */
@Service
public class SliceRequests {

    private static final Logger log = LoggerFactory.getLogger(SliceRequests.class);
    private static final int PLACEMENT_ATTEMPTS = 5;

    private final Catalog catalog;
    private final VgpuPlacement placement;
    private final Slices slices;
    private final TransactionTemplate transactions;
    private final HostGenerations generations;
    private final Quotas quotas;

    SliceRequests(Catalog catalog, VgpuPlacement placement, Slices slices, TransactionTemplate transactions,
            HostGenerations generations, Quotas quotas) {
        this.quotas = quotas;
        this.catalog = catalog;
        this.placement = placement;
        this.slices = slices;
        this.transactions = transactions;
        this.generations = generations;
    }

    /** Places and records one new slice for the requester's tenant; see {@link #request(Requester, long, String, int)}. */
    public SliceView request(PortalUser user, long offeringId, String vmName) {
        return request(Requester.of(user), offeringId, vmName, 1).get(0);
    }

    /**
     * Places and records {@code count} new slices for one VM, all or none.
     *
     * @throws NoCapacityException when the GPUs cannot take them all; nothing is written then
     * @throws QuotaExceededException when they would take the tenant past a quota; nothing is written then
     * @throws IllegalArgumentException when the offering does not exist or is not offered
     */
    public List<SliceView> request(Requester requester, long offeringId, String vmName, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("Ask for at least one slice");
        }
        Offering offering = catalog.enabledOffering(offeringId)
                .orElseThrow(() -> new IllegalArgumentException("Offering " + offeringId + " does not exist or is not offered"));
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(tx -> {
                    quotas.check(requester.tenantId(), offering, count);
                    List<SliceView> placed = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        placed.add(placeAndInsert(requester, offering, vmName));
                    }
                    return placed;
                });
            }
            catch (DataIntegrityViolationException raced) {
                // Another request took the same place between our check and insert; the schema refused the double booking.
                if (attempt == PLACEMENT_ATTEMPTS) {
                    throw new NoCapacityException(offering.code());
                }
                log.debug("Placement of {} raced with another request (attempt {}), retrying", offering.code(), attempt);
            }
        }
    }

    private SliceView placeAndInsert(Requester requester, Offering offering, String vmName) {
        Placement where = placement.place(offering)
                .orElseThrow(() -> new NoCapacityException(offering.code()));
        UUID uuid = UUID.randomUUID();
        long sliceId = slices.insertPlaced(uuid, requester.tenantId(), requester.userId(), offering, vmName, where);
        slices.recordEvent(sliceId, null, SliceState.REQUESTED, requester.actor(),
                "requested " + offering.code() + " for VM " + vmName);
        slices.recordEvent(sliceId, SliceState.REQUESTED, SliceState.PLACED, "placement", where.describe());
        generations.bump(where.hostId());
        return slices.forTenant(requester.tenantId(), uuid).orElseThrow();
    }
}
