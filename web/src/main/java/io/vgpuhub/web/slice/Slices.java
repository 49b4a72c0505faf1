package io.vgpuhub.web.slice;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.vgpuhub.web.catalog.Offering;
import io.vgpuhub.web.placement.Placement;
import io.vgpuhub.web.placement.PlacementSettings;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads and writes slice rows and their audit events. A slice's host is silent as the operator's hosts page and the
 * OFFLINE check decide it: no report from its agent for {@code vgpuhub.placement.host-offline-after}, whatever the
 * host's state (a DRAINING host stays DRAINING when its agent dies).
 */
@Repository
class Slices {

    private static final String VIEW = """
            select s.id, s.uuid, s.vm_name, s.state, s.kind, o.code as offering_code, o.gpu_model, o.vgpu_type,
                   o.mig_profile, o.license_edition, o.price_per_hour,
                   h.name as host_name, g.pci_address as gpu_pci_address, v.pci_address as vf_pci_address,
                   s.mig_start_slot, s.mig_size, s.device_uuid,
                   s.failure_reason, s.created_at, s.ready_at, s.released_at,
                   h.id is not null and (h.last_seen_at is null
                                         or h.last_seen_at < now() - make_interval(secs => :offlineSeconds)) as host_silent
            from slice s
            join offering o on o.id = s.offering_id
            left join gpu g on g.id = s.gpu_id
            left join host h on h.id = g.host_id
            left join virtual_function v on v.id = s.vf_id
            """;

    private final JdbcClient jdbc;
    private final PlacementSettings placement;

    Slices(JdbcClient jdbc, PlacementSettings placement) {
        this.jdbc = jdbc;
        this.placement = placement;
    }

    /** @param costCentreId the tenant's cost centre the slice bills to; null: its root (V9's trigger fills it in) */
    long insertPlaced(UUID uuid, long tenantId, long userId, Offering offering, String vmName, Placement where,
            Long costCentreId) {
        return jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id, vf_id,
                                   mig_start_slot, mig_size, cost_centre_id)
                values (:uuid, :tenantId, :userId, :offeringId, :kind, :vmName, 'PLACED', :gpuId, :vfId, :migStart, :migSize,
                        :costCentreId)
                returning id
                """)
                .param("uuid", uuid).param("tenantId", tenantId).param("userId", userId)
                .param("offeringId", offering.id()).param("kind", offering.kind().name()).param("vmName", vmName)
                .param("gpuId", where.gpuId()).param("vfId", where.vfId(), Types.BIGINT)
                .param("migStart", where.migStartSlot(), Types.INTEGER).param("migSize", where.migSize(), Types.INTEGER)
                .param("costCentreId", costCentreId, Types.BIGINT)
                .query(Long.class).single();
    }

    void recordEvent(long sliceId, SliceState from, SliceState to, String actor, String reason) {
        jdbc.sql("insert into slice_event (slice_id, from_state, to_state, actor, reason) values (?, ?, ?, ?, ?)")
                .params(sliceId, from == null ? null : from.name(), to.name(), actor, reason).update();
    }

    List<SliceView> forTenant(long tenantId) {
        return jdbc.sql(VIEW + " where s.tenant_id = :tenantId order by s.created_at desc, s.id desc")
                .param("tenantId", tenantId).param("offlineSeconds", placement.hostOfflineAfterSeconds()).query(SliceView.class).list();
    }

    Optional<SliceView> forTenant(long tenantId, UUID uuid) {
        return jdbc.sql(VIEW + " where s.tenant_id = :tenantId and s.uuid = :uuid")
                .param("tenantId", tenantId).param("uuid", uuid).param("offlineSeconds", placement.hostOfflineAfterSeconds())
                .query(SliceView.class).optional();
    }

    /** The slice, locked for a state change, if it lives on this host. */
    Optional<HostSlice> lockOnHost(long hostId, UUID uuid) {
        return jdbc.sql("""
                select s.id, s.state from slice s join gpu g on g.id = s.gpu_id
                where g.host_id = ? and s.uuid = ? for update of s
                """).params(hostId, uuid).query(HostSlice.class).optional();
    }

    Optional<HostSlice> lockForTenant(long tenantId, UUID uuid) {
        return jdbc.sql("select s.id, s.state from slice s where s.tenant_id = ? and s.uuid = ? for update")
                .params(tenantId, uuid).query(HostSlice.class).optional();
    }

    Optional<Long> hostOf(long sliceId) {
        return jdbc.sql("select g.host_id from slice s join gpu g on g.id = s.gpu_id where s.id = ?")
                .param(sliceId).query(Long.class).optional();
    }

    /**
     * Moves the slice on, only from the state its caller saw: a concurrent change (a release while the agent polls, a
     * timeout while the agent reports) wins, and this one then changes nothing.
     *
     * @return whether the slice was still in {@code from} and is now in {@code to}
     */
    boolean changeState(long sliceId, SliceState from, SliceState to, String failureReason) {
        return jdbc.sql("""
                update slice set state = :state, updated_at = now(),
                       failure_reason = case when :state = 'FAILED' then :reason else failure_reason end,
                       ready_at = case when :state = 'READY' then now() else ready_at end,
                       released_at = case when :state = 'RELEASED' then now() else released_at end
                where id = :id and state = :from
                """).param("state", to.name()).param("reason", failureReason).param("id", sliceId)
                .param("from", from.name()).update() == 1;
    }

    /** Slices of this host whose device should exist. */
    List<DesiredDevice> desiredOnHost(long hostId) {
        return jdbc.sql("""
                select s.id, s.uuid, s.state, s.kind, g.pci_address as gpu_pci_address, v.pci_address as vf_pci_address,
                       o.vgpu_type, o.mig_profile, s.mig_start_slot, s.mig_size
                from slice s join gpu g on g.id = s.gpu_id join offering o on o.id = s.offering_id
                left join virtual_function v on v.id = s.vf_id
                where g.host_id = ? and s.state in ('PLACED', 'PROVISIONING', 'READY')
                order by s.id
                """).param(hostId).query(DesiredDevice.class).list();
    }

    /** The mode the operator wants for each GPU of the host. */
    List<HostDesiredState.Gpu> desiredGpusOnHost(long hostId) {
        return jdbc.sql("select pci_address, mode from gpu where host_id = ? order by pci_address")
                .param(hostId).query(HostDesiredState.Gpu.class).list();
    }

    /** Whether the slice's host was ever sent it (it reached PROVISIONING), so the host may hold something of it. */
    boolean wasSentToHost(long sliceId) {
        return jdbc.sql("select exists (select 1 from slice_event where slice_id = ? and to_state = 'PROVISIONING')")
                .param(sliceId).query(Boolean.class).single();
    }

    void setCleanupGeneration(long sliceId, long generation) {
        jdbc.sql("update slice set cleanup_generation = ? where id = ?").params(generation, sliceId).update();
    }

    /** Released FAILED slices of this host whose cleanup the agent has reconciled, locked for their last transition. */
    List<HostSlice> lockCleanedUpOnHost(long hostId, long reconciledGeneration) {
        return jdbc.sql("""
                select s.id, s.state from slice s join gpu g on g.id = s.gpu_id
                where g.host_id = ? and s.state = 'RELEASING' and s.cleanup_generation <= ?
                order by s.id for update of s
                """).params(hostId, reconciledGeneration).query(HostSlice.class).list();
    }

    /** A MIG slice's device as its agent reported it; other kinds have none. */
    void setMigDeviceUuid(long sliceId, String deviceUuid) {
        jdbc.sql("update slice set device_uuid = ?, updated_at = now() where id = ? and kind = 'MIG' and device_uuid is distinct from ?")
                .params(deviceUuid, sliceId, deviceUuid).update();
    }

    /** Slices placed before the cutoff that their host has not made yet, locked; ones locked elsewhere wait a round. */
    List<StuckSlice> lockStuckBefore(Instant placedBefore) {
        return jdbc.sql("""
                select s.id, s.state, g.host_id from slice s join gpu g on g.id = s.gpu_id
                where s.state in ('PLACED', 'PROVISIONING') and s.created_at < ?
                order by s.id for update of s skip locked
                """).param(Timestamp.from(placedBefore)).query(StuckSlice.class).list();
    }

    record StuckSlice(long id, SliceState state, long hostId) {
    }

    /** A slice's id and state, as needed for a transition. */
    record HostSlice(long id, SliceState state) {
    }
}
