package io.vgpuhub.web.licensing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.vgpuhub.metering.licensing.ExpiredLease;
import io.vgpuhub.metering.licensing.LicensingSettings;
import io.vgpuhub.metering.licensing.SeatLeases;
import io.vgpuhub.web.audit.AuditEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Expires the seat leases of slices whose host stopped reporting, and writes each into the audit log. */
@Component
public class LeaseExpiry {

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);

    private final SeatLeases seats;
    private final LicensingSettings settings;
    private final AuditEvents audit;

    LeaseExpiry(SeatLeases seats, LicensingSettings settings, AuditEvents audit) {
        this.seats = seats;
        this.settings = settings;
        this.audit = audit;
    }

    /** @return the leases that expired */
    @Transactional
    public List<ExpiredLease> expireStale(Instant now) {
        List<ExpiredLease> expired = seats.expireStale(now);
        for (ExpiredLease lease : expired) {
            long silentMinutes = Duration.between(lease.renewedAt(), now).toMinutes();
            String detail = "%s lease expired: host %s has not reported for %d min (grace %d min); %s".formatted(
                    lease.edition(), lease.hostName(), silentMinutes, settings.leaseGrace().toMinutes(),
                    lease.heldSeat() ? "its seat is free again" : "it held no seat");
            log.warn("slice {}: {}", lease.sliceUuid(), detail);
            audit.record("server", lease.tenantId(), "license.lease.expired", "slice " + lease.sliceUuid(), detail);
        }
        return expired;
    }
}
