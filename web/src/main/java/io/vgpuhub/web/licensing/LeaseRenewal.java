package io.vgpuhub.web.licensing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.vgpuhub.metering.licensing.HostRenewal;
import io.vgpuhub.metering.licensing.LicensingSettings;
import io.vgpuhub.metering.licensing.SeatLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Renews a host's seat leases when its agent calls, at most once per {@code vgpuhub.licensing.renew-interval} per
 * host (an agent calls several times a minute; the lease grace is minutes). When a host was last renewed is kept in
 * its row ({@code host.leases_renewed_at}), so server replicas that share the agent's calls agree on it. Runs in a
 * transaction of its own, after the call's own one has committed and given back its connection: renewal may take an
 * edition's lock, which must not be waited for while the host's row, or a second pooled connection, is held.
 */
@Component
public class LeaseRenewal {

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

    private final SeatLeases seats;
    private final LicensingSettings settings;
    private final TransactionTemplate ownTransaction;
    private final JdbcClient jdbc;
    private final Clock clock;

    LeaseRenewal(SeatLeases seats, LicensingSettings settings, PlatformTransactionManager transactions, JdbcClient jdbc,
            Clock clock) {
        this.seats = seats;
        this.jdbc = jdbc;
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
        // Whole microseconds, as PostgreSQL stores them: a failed renewal finds its own mark again by equality.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            if (!claimRenewal(hostId, now)) {
                return;
            }
        }
        catch (RuntimeException e) {
            log.warn("could not check when the license seat leases of host {} were last renewed: {}", hostId, e.getMessage());
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
            releaseClaim(hostId, now);
            log.warn("renewing the license seat leases of host {} failed; retrying on its next report: {}", hostId,
                    e.getMessage());
        }
    }

    /**
     * Marks the host renewed at {@code now} unless it was less than the renew interval ago; of replicas that hear from
     * the host at once, one wins the row and renews. Runs on its own (autocommit) so the mark is seen at once.
     */
    private boolean claimRenewal(long hostId, Instant now) {
        Optional<Long> claimed = jdbc.sql("""
                        update host set leases_renewed_at = :now
                        where id = :host and (leases_renewed_at is null or leases_renewed_at <= :due)
                        returning id""")
                .param("now", Timestamp.from(now))
                .param("host", hostId)
                .param("due", Timestamp.from(now.minus(settings.renewInterval())))
                .query(Long.class).optional();
        return claimed.isPresent();
    }

    /** The renewal failed: the host's next call tries again, unless another replica has claimed a later renewal since. */
    private void releaseClaim(long hostId, Instant claimedAt) {
        try {
            jdbc.sql("update host set leases_renewed_at = null where id = :host and leases_renewed_at = :at")
                    .param("host", hostId).param("at", Timestamp.from(claimedAt)).update();
        }
        catch (RuntimeException e) {
            log.warn("could not clear the renewal mark of host {}; its leases are renewed after the renew interval: {}",
                    hostId, e.getMessage());
        }
    }
}
