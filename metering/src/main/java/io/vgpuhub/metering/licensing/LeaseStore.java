package io.vgpuhub.metering.licensing;

import static io.vgpuhub.metering.SqlTime.instant;
import static io.vgpuhub.metering.SqlTime.utc;

import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL behind {@link SeatLeases}: editions, the seats their entitlements grant now, and leases. */
@Repository
class LeaseStore {

    /** An edition as admission needs it, read under its row lock. */
    record EditionTerms(Edition code, String name, boolean perGpu, AdmissionPolicy policy) {
    }

    /** A live slice of a licensed offering on a host, without a running lease or with only a flagged one. */
    record Unseated(long sliceId, long gpuId, Edition edition, boolean flagged) {
    }

    private final JdbcClient jdbc;

    LeaseStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the edition's row until the transaction ends: acquisitions of one edition are decided one at a time. */
    EditionTerms lock(Edition edition) {
        return jdbc.sql("select name, per_gpu, admission_policy from license_edition where code = ? for update")
                .param(edition.name())
                .query((rs, row) -> new EditionTerms(edition, rs.getString("name"), rs.getBoolean("per_gpu"),
                        AdmissionPolicy.valueOf(rs.getString("admission_policy"))))
                .single();
    }

    /** The seats of every edition at {@code now}, in no particular order. */
    List<SeatCount> seats(Instant now) {
        return count(null, now);
    }

    /** The edition's seats at {@code now}. */
    SeatCount seats(Edition edition, Instant now) {
        return count(edition.name(), now).get(0);
    }

    /**
     * Seats of the entitlements valid at {@code now} (valid_until is exclusive; null is perpetual), seats held by
     * running leases (slices sharing a GPU's seat count once), and running leases holding none; of one edition, or of
     * all when {@code edition} is null.
     */
    private List<SeatCount> count(String edition, Instant now) {
        return jdbc.sql("""
                select e.code,
                       (select coalesce(sum(x.seats), 0) from license_entitlement x where x.edition = e.code
                         and x.valid_from <= :now and (x.valid_until is null or x.valid_until > :now)) as entitled,
                       (select count(distinct l.seat_key) from license_lease l
                         where l.edition = e.code and l.ended_at is null and l.holds_seat) as used,
                       (select count(*) from license_lease l
                         where l.edition = e.code and l.ended_at is null and not l.holds_seat) as flagged
                from license_edition e
                where cast(:edition as text) is null or e.code = cast(:edition as text)
                """).param("now", utc(now)).param("edition", edition, Types.VARCHAR)
                .query((rs, row) -> new SeatCount(Edition.valueOf(rs.getString("code")), rs.getLong("entitled"),
                        rs.getLong("used"), rs.getLong("flagged")))
                .list();
    }

    /** Whether a running lease holds this seat already (a per-GPU seat another slice on the GPU took). */
    boolean held(Edition edition, String seatKey) {
        return jdbc.sql("""
                select exists (select 1 from license_lease
                               where edition = ? and seat_key = ? and ended_at is null and holds_seat)
                """).params(edition.name(), seatKey).query(Boolean.class).single();
    }

    void insert(long sliceId, Edition edition, long gpuId, String seatKey, boolean holdsSeat, Instant now) {
        jdbc.sql("""
                insert into license_lease (slice_id, edition, gpu_id, seat_key, holds_seat, acquired_at, renewed_at)
                values (:slice, :edition, :gpu, :seatKey, :holdsSeat, :now, :now)
                """).param("slice", sliceId).param("edition", edition.name()).param("gpu", gpuId)
                .param("seatKey", seatKey).param("holdsSeat", holdsSeat).param("now", utc(now)).update();
    }

    /** Ends the slice's running lease, if it has one. */
    int end(long sliceId, String reason, Instant now) {
        return jdbc.sql("""
                update license_lease set ended_at = greatest(:now, acquired_at), end_reason = :reason
                where slice_id = :slice and ended_at is null
                """).param("now", utc(now)).param("reason", reason).param("slice", sliceId).update();
    }

    /** Renews the running leases of slices on the host. */
    int renew(long hostId, Instant now) {
        return jdbc.sql("""
                update license_lease l set renewed_at = greatest(:now, l.renewed_at)
                from slice s join gpu g on g.id = s.gpu_id
                where l.slice_id = s.id and g.host_id = :host and l.ended_at is null
                """).param("now", utc(now)).param("host", hostId).update();
    }

    /**
     * The host's live slices of licensed offerings that hold no seat, locked against a concurrent state change. A
     * slice or GPU locked elsewhere (a transition, a placement on the GPU) is skipped: waiting for it could close a
     * lock cycle with admission, and the host's next report tries again.
     */
    List<Unseated> lockUnseatedOnHost(long hostId) {
        return jdbc.sql("""
                select s.id as slice_id, s.gpu_id, o.license_edition,
                       exists (select 1 from license_lease l where l.slice_id = s.id and l.ended_at is null) as flagged
                from slice s
                join gpu g on g.id = s.gpu_id
                join offering o on o.id = s.offering_id
                where g.host_id = :host and s.state in ('PLACED', 'PROVISIONING', 'READY')
                  and o.license_edition is not null
                  and not exists (select 1 from license_lease l
                                  where l.slice_id = s.id and l.ended_at is null and l.holds_seat)
                order by o.license_edition, s.id
                for share of s skip locked
                for key share of g skip locked
                """).param("host", hostId)
                .query((rs, row) -> new Unseated(rs.getLong("slice_id"), rs.getLong("gpu_id"),
                        Edition.valueOf(rs.getString("license_edition")), rs.getBoolean("flagged")))
                .list();
    }

    /** Ends every running lease last renewed before {@code cutoff}, as EXPIRED at {@code now}. */
    List<ExpiredLease> expire(Instant cutoff, Instant now) {
        return jdbc.sql("""
                with expired as (
                    update license_lease set ended_at = greatest(:now, acquired_at), end_reason = 'EXPIRED'
                    where ended_at is null and renewed_at < :cutoff
                    returning slice_id, edition, holds_seat, renewed_at, gpu_id
                )
                select e.slice_id, s.uuid, s.tenant_id, h.name as host_name, e.edition, e.holds_seat, e.renewed_at
                from expired e
                join slice s on s.id = e.slice_id
                left join gpu g on g.id = e.gpu_id
                left join host h on h.id = g.host_id
                order by e.slice_id
                """).param("now", utc(now)).param("cutoff", utc(cutoff))
                .query((rs, row) -> new ExpiredLease(rs.getLong("slice_id"), rs.getObject("uuid", UUID.class),
                        rs.getLong("tenant_id"), rs.getString("host_name"), Edition.valueOf(rs.getString("edition")),
                        rs.getBoolean("holds_seat"), instant(rs, "renewed_at")))
                .list();
    }

    List<SeatLease> running(Collection<Long> sliceIds) {
        return jdbc.sql("""
                select slice_id, edition, holds_seat, acquired_at, renewed_at from license_lease
                where ended_at is null and slice_id in (:ids)
                """).param("ids", List.copyOf(sliceIds))
                .query((rs, row) -> new SeatLease(rs.getLong("slice_id"), Edition.valueOf(rs.getString("edition")),
                        rs.getBoolean("holds_seat"), instant(rs, "acquired_at"),
                        instant(rs, "renewed_at")))
                .list();
    }
}
