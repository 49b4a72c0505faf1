package io.vgpuhub.web.licensing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.licensing.SeatLease;
import io.vgpuhub.metering.licensing.SeatLeases;
import io.vgpuhub.web.slice.SliceView;

import org.springframework.stereotype.Component;

/** The license status of slices as the tenant's pages and API show it. */
@Component
public class SliceLicenses {

    private final SeatLeases leases;

    SliceLicenses(SeatLeases leases) {
        this.leases = leases;
    }

    /**
     * By slice id, for the running slices of licensed offerings among these; a slice that needs no license, or is no
     * longer running, has no entry.
     */
    public Map<Long, LicenseStatus> of(List<SliceView> slices) {
        List<Long> licensed = slices.stream()
                .filter(slice -> slice.licenseEdition() != null && slice.state().isRunning())
                .map(SliceView::id).toList();
        Map<Long, SeatLease> running = leases.leaseOf(licensed);
        Map<Long, LicenseStatus> status = new HashMap<>();
        for (Long id : licensed) {
            SeatLease lease = running.get(id);
            status.put(id, lease != null && lease.holdsSeat() ? LicenseStatus.LICENSED : LicenseStatus.UNLICENSED);
        }
        return status;
    }
}
