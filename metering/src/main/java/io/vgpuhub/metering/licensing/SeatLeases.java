package io.vgpuhub.metering.licensing;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * NVIDIA vGPU software license seats held by slices. A slice of a licensed offering takes a seat lease of its
 * edition at admission, in the transaction that places and inserts it, so that a refused request leaves no slice
 * behind. DESIGN.md says a READY slice holds the lease; taking it at request time instead means a tenant learns at
 * once that no seat is free, and the lease covers the slice from PLACED through READY until it is released or fails.
 * Its host's reports renew it; a lease whose host stays silent longer than {@code vgpuhub.licensing.lease-grace}
 * expires and its seat returns, and the slice takes a seat again when its host reports once more.
 *
 * <p>Seats are never over-subscribed: an acquisition locks its edition's row, so acquisitions of one edition are
 * decided one after the other, each against the seats of entitlements valid now minus the seats running leases hold.
 * Per-GPU editions (vCS) count one seat per physical GPU: a slice on a GPU whose seat another running slice of the
 * edition holds shares it at no cost.
 */
@Service
public class SeatLeases {

    private final LeaseStore store;
    private final LicensingSettings settings;
    private final Clock clock;

    SeatLeases(LeaseStore store, LicensingSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Takes a seat of {@code edition} for a new slice placed on {@code gpuId}, in the caller's transaction (the one
     * that inserts the slice), so that the slice and its lease are written together or not at all.
     *
     * @return LICENSED when the slice holds a seat; UNLICENSED when none was free and the edition's admission policy
     *         admits the slice anyway (its lease is flagged)
     * @throws NoSeatAvailableException when no seat is free and the edition's policy refuses; nothing is written
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Admission acquire(long sliceId, Edition edition, long gpuId) {
        Instant now = clock.instant();
        LeaseStore.EditionTerms terms = store.lock(edition);
        SeatLedger seats = new SeatLedger(terms, now);
        Seat seat = seats.seatFor(sliceId, gpuId);
        if (!seat.free() && terms.policy() == AdmissionPolicy.REFUSE) {
            throw new NoSeatAvailableException(edition, terms.name(), Math.toIntExact(seats.entitled),
                    Math.toIntExact(seats.used));
        }
        store.insert(sliceId, edition, gpuId, seat.key(), seat.free(), now);
        return seat.free() ? Admission.LICENSED : Admission.UNLICENSED;
    }

    /** Ends the slice's running lease at once; its seat is free for the next acquisition. A slice without one: no-op. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void release(long sliceId, ReleaseReason reason) {
        store.end(sliceId, reason.name(), clock.instant());
    }

    /**
     * Its host reported: renews the leases of the host's slices, then gives a seat back to the host's live slices
     * that hold none, because their lease expired while the host was silent or was admitted flagged. A running slice
     * is never refused: with no seat free it keeps (or gets) a flagged lease, whatever the edition's policy.
     *
     * <p>A flagged lease that finds a seat is ended (reason RELEASED) and a seat-holding one starts, so the seat's
     * time is counted from the moment it was taken.
     */
    @Transactional
    public HostRenewal renewHost(long hostId) {
        Instant now = clock.instant();
        int renewed = store.renew(hostId, now);
        List<LeaseStore.Unseated> unseated = store.lockUnseatedOnHost(hostId);
        int seated = 0;
        int flagged = 0;
        // Sorted by edition: two hosts renewing lock editions in the same order.
        Map<Edition, List<LeaseStore.Unseated>> byEdition = unseated.stream()
                .collect(Collectors.groupingBy(LeaseStore.Unseated::edition, TreeMap::new, Collectors.toList()));
        for (Map.Entry<Edition, List<LeaseStore.Unseated>> edition : byEdition.entrySet()) {
            LeaseStore.EditionTerms terms = store.lock(edition.getKey());
            // Counted once under the edition's lock; the seats taken below are counted here as they are taken.
            SeatLedger seats = new SeatLedger(terms, now);
            for (LeaseStore.Unseated slice : edition.getValue()) {
                Seat seat = seats.seatFor(slice.sliceId(), slice.gpuId());
                if (seat.free()) {
                    if (slice.flagged()) {
                        store.end(slice.sliceId(), ReleaseReason.RELEASED.name(), now);
                    }
                    store.insert(slice.sliceId(), terms.code(), slice.gpuId(), seat.key(), true, now);
                    seats.take(seat);
                    seated++;
                }
                else {
                    if (!slice.flagged()) {
                        store.insert(slice.sliceId(), terms.code(), slice.gpuId(), seat.key(), false, now);
                    }
                    flagged++;
                }
            }
        }
        return new HostRenewal(renewed, seated, flagged);
    }

    /**
     * Ends, as EXPIRED, the running leases last renewed more than {@code vgpuhub.licensing.lease-grace} before
     * {@code now}: their hosts stopped reporting. Idempotent, so every server replica may run it.
     *
     * @return the leases that expired now
     */
    @Transactional
    public List<ExpiredLease> expireStale(Instant now) {
        return store.expire(now.minus(settings.leaseGrace()), now);
    }

    /** Per edition, seats entitled and held right now, and running leases that hold none. */
    @Transactional(readOnly = true)
    public Map<Edition, SeatCount> seatsNow() {
        return store.seats(clock.instant()).stream()
                .collect(Collectors.toMap(SeatCount::edition, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    /** The running lease of each of these slices that has one. */
    @Transactional(readOnly = true)
    public Map<Long, SeatLease> leaseOf(Collection<Long> sliceIds) {
        if (sliceIds.isEmpty()) {
            return Map.of();
        }
        return store.running(sliceIds).stream().collect(Collectors.toMap(SeatLease::sliceId, Function.identity()));
    }

    /**
     * The seats of one edition, counted once with its row locked (so no other acquisition changes them) and kept
     * current here as this transaction takes seats.
     */
    private final class SeatLedger {

        private final LeaseStore.EditionTerms terms;
        private final long entitled;
        private long used;

        SeatLedger(LeaseStore.EditionTerms terms, Instant now) {
            this.terms = terms;
            SeatCount count = store.seats(terms.code(), now);
            this.entitled = count.entitled();
            this.used = count.used();
        }

        /**
         * The seat a slice would take, and whether it is free: a per-GPU seat a running slice holds is shared at no
         * cost; otherwise a seat is free while fewer are held than entitled.
         */
        Seat seatFor(long sliceId, long gpuId) {
            String key = terms.perGpu() ? "gpu:" + gpuId : "slice:" + sliceId;
            // held() also sees the leases this transaction inserted: a later slice on the GPU shares their seat.
            boolean shared = terms.perGpu() && store.held(terms.code(), key);
            return new Seat(key, shared || used < entitled, shared);
        }

        /** The slice took the seat: one more is held, unless it shares one already counted. */
        void take(Seat seat) {
            if (!seat.shared()) {
                used++;
            }
        }
    }

    private record Seat(String key, boolean free, boolean shared) {
    }
}
