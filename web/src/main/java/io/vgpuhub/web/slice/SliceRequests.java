package io.vgpuhub.web.slice;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import io.vgpuhub.metering.chargeback.costcentre.CostCentreNotFoundException;
import io.vgpuhub.metering.chargeback.costcentre.CostCentres;
import io.vgpuhub.metering.licensing.Edition;
import io.vgpuhub.metering.licensing.NoSeatAvailableException;
import io.vgpuhub.metering.licensing.SeatLeases;
import io.vgpuhub.web.catalog.Catalog;
import io.vgpuhub.web.catalog.Offering;
import io.vgpuhub.web.placement.Placement;
import io.vgpuhub.web.placement.SlicePlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A tenant's request for slices: quota check, placement, the slices' inserts and their license seats in one
 * transaction, so the slices either exist with their places and seats reserved or not at all. The schema's constraints
 * are the last line behind the placement.
 */
@Service
public class SliceRequests {

    private static final Logger log = LoggerFactory.getLogger(SliceRequests.class);
    private static final int PLACEMENT_ATTEMPTS = 5;

    /** The most slices one request may ask for (no GPU holds more than 64 of anything). */
    public static final int MAX_COUNT = 64;

    /**
     * The schema's rule for slice.vm_name, checked first so that a bad name is a clear error, not a constraint
     * violation; the portal's and the API's forms check it too.
     */
    public static final String VM_NAME_REGEX = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";
    private static final Pattern VM_NAME = Pattern.compile(VM_NAME_REGEX);

    /** PostgreSQL's SQLSTATE for a row an exclusion constraint refused: the schema caught a double booking. */
    private static final String EXCLUSION_VIOLATION = "23P01";

    private final Catalog catalog;
    private final SlicePlacement placement;
    private final Slices slices;
    private final TransactionTemplate transactions;
    private final HostGenerations generations;
    private final Quotas quotas;
    private final SeatLeases seats;
    private final CostCentres costCentres;

    SliceRequests(Catalog catalog, SlicePlacement placement, Slices slices, TransactionTemplate transactions,
            HostGenerations generations, Quotas quotas, SeatLeases seats, CostCentres costCentres) {
        this.costCentres = costCentres;
        this.quotas = quotas;
        this.seats = seats;
        this.catalog = catalog;
        this.placement = placement;
        this.slices = slices;
        this.transactions = transactions;
        this.generations = generations;
    }

    /**
     * Places and records {@code count} new slices for one VM, all or none.
     *
     * @throws NoCapacityException when the GPUs cannot take them all; nothing is written then
     * @throws QuotaExceededException when they would take the tenant past a quota; nothing is written then
     * @throws NoSeatAvailableException when the offering's license edition has no free seat for each of them and its
     *                                  admission policy refuses; nothing is written then
     * @throws IllegalArgumentException when the offering does not exist or is not offered, or the count is not
     *                                  between 1 and {@value #MAX_COUNT}
     */
    public List<SliceView> request(Requester requester, long offeringId, String vmName, int count) {
        return request(requester, offeringId, vmName, count, null);
    }

    /**
     * As {@link #request(Requester, long, String, int)}, billing the slices to the tenant's cost centre of that code
     * (null or blank: the tenant's root).
     *
     * @throws CostCentreNotFoundException when the tenant has no cost centre of that code (another tenant's code
     *                                     included); nothing is written then
     */
    public List<SliceView> request(Requester requester, long offeringId, String vmName, int count, String costCentre) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("Ask for between 1 and " + MAX_COUNT + " slices at once");
        }
        if (vmName == null || !VM_NAME.matcher(vmName).matches()) {
            throw new IllegalArgumentException(
                    "A VM name is 1 to 63 letters, digits, dots, dashes or underscores and starts with a letter or digit");
        }
        Offering offering = catalog.enabledOffering(offeringId)
                .orElseThrow(() -> new IllegalArgumentException("Offering " + offeringId + " does not exist or is not offered"));
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(tx -> {
                    // Held until the slices are in, so the cost centre cannot be deleted under them.
                    Long costCentreId = costCentre == null || costCentre.isBlank() ? null
                            : costCentres.forSlice(requester.tenantId(), costCentre);
                    quotas.check(requester.tenantId(), offering, count);
                    List<Placed> placed = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        placed.add(placeAndInsert(requester, offering, vmName, count, i, costCentreId));
                    }
                    // Seats after every placement: the edition's lock is taken last, once this request holds all
                    // the GPUs it needs, so no request waits for a GPU while holding an edition others wait for.
                    if (offering.licenseEdition() != null) {
                        Edition edition = Edition.valueOf(offering.licenseEdition());
                        for (Placed slice : placed) {
                            seats.acquire(slice.view().id(), edition, slice.gpuId());
                        }
                    }
                    return placed.stream().map(Placed::view).toList();
                });
            }
            catch (DataIntegrityViolationException | PessimisticLockingFailureException raced) {
                // The schema refused a double booking (a place taken by someone who did not lock the GPU), or two
                // requests of several slices each waited for a GPU the other held and the database ended one.
                // Either way nothing was written; the next attempt sees what the other committed. Any other
                // integrity violation is a bug, not a race, and is not retried.
                if (raced instanceof DataIntegrityViolationException && !isExclusionViolation(raced)) {
                    throw raced;
                }
                if (attempt == PLACEMENT_ATTEMPTS) {
                    throw new NoCapacityException(offering.code(), count, 0);
                }
                log.debug("Placement of {} raced with another request (attempt {}): {}", offering.code(), attempt,
                        raced.getMessage());
            }
        }
    }

    private record Placed(SliceView view, long gpuId) {
    }

    private Placed placeAndInsert(Requester requester, Offering offering, String vmName, int count, int placedSoFar,
            Long costCentreId) {
        Placement where = placement.place(offering)
                .orElseThrow(() -> new NoCapacityException(offering.code(), count, placedSoFar));
        UUID uuid = UUID.randomUUID();
        long sliceId = slices.insertPlaced(uuid, requester.tenantId(), requester.userId(), offering, vmName, where,
                costCentreId);
        slices.recordEvent(sliceId, null, SliceState.REQUESTED, requester.actor(),
                "requested " + offering.code() + " for VM " + vmName);
        slices.recordEvent(sliceId, SliceState.REQUESTED, SliceState.PLACED, "placement", where.describe());
        generations.bump(where.hostId());
        return new Placed(slices.forTenant(requester.tenantId(), uuid).orElseThrow(), where.gpuId());
    }

    private static boolean isExclusionViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && EXCLUSION_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
