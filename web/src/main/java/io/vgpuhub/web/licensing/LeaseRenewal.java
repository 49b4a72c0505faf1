package io.vgpuhub.web.licensing;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vgpuhub.metering.licensing.HostRenewal;
import io.vgpuhub.metering.licensing.LicensingSettings;
import io.vgpuhub.metering.licensing.SeatLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Renews a host's seat leases when its agent calls, at most once per {@code vgpuhub.licensing.renew-interval} per
 * host (an agent calls several times a minute; the lease grace is minutes). Runs in a transaction of its own, after
 * the call's own one has committed and given back its connection: renewal may take an edition's lock, which must not
 * be waited for while the host's row, or a second pooled connection, is held.
 */
@Component
public class LeaseRenewal {

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

    private final SeatLeases seats;
    private final LicensingSettings settings;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    /** When each host's leases were last renewed by this server; another replica renewing too does no harm. */
    private final Map<Long, Instant> lastRenewed = new ConcurrentHashMap<>();

    LeaseRenewal(SeatLeases seats, LicensingSettings settings, PlatformTransactionManager transactions, Clock clock) {
        this.seats = seats;
        this.settings = settings;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * The host's agent called; renews its leases unless that was done less than the renew interval ago. Call it outside
     * any transaction: it takes a connection of its own and may wait for an edition's lock. Never throws: the agent's
     * call has already been handled, and its next one retries.
     */
    public void heardFrom(long hostId) {
        Instant now = clock.instant();
        boolean[] due = {false};
        lastRenewed.compute(hostId, (id, previous) -> {
            if (previous != null && previous.plus(settings.renewInterval()).isAfter(now)) {
                return previous;
            }
            due[0] = true;
            return now;
        });
        if (!due[0]) {
            return;
        }
        try {
            HostRenewal renewal = ownTransaction.execute(tx -> seats.renewHost(hostId));
            if (renewal != null && (renewal.seated() > 0 || renewal.flagged() > 0)) {
                log.info("host {} reports again: {} slice(s) took a license seat again, {} run without one (no seat free)",
                        hostId, renewal.seated(), renewal.flagged());
            }
        }
        catch (RuntimeException e) {
            // A lock conflict with a concurrent admission, or no free connection: the next call from the host tries again.
            lastRenewed.remove(hostId);
            log.warn("renewing the license seat leases of host {} failed; retrying on its next report: {}", hostId,
                    e.getMessage());
        }
    }
}
