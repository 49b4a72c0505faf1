package io.vgpuhub.web.placement;

import java.util.List;
import java.util.Optional;

import io.vgpuhub.web.catalog.Offering;
import io.vgpuhub.web.catalog.SliceKind;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds a GPU and a free virtual function for a time-sliced vGPU, honouring the hardware's rules: one vGPU type per
 * GPU (equal-size mode), at most max_instances of it, one vGPU per VF, only on hosts that are online and not draining.
 * Partly used GPUs of the same type are filled before an empty one is opened, which keeps whole GPUs free for
 * larger profiles. Runs inside the caller's transaction and locks the chosen GPU, so concurrent requests on
 * one GPU are serialised; the schema's exclusion constraints are the last line behind it.
 */
@Component
public class VgpuPlacement {

    private final JdbcClient jdbc;
    private final PlacementSettings settings;

    VgpuPlacement(JdbcClient jdbc, PlacementSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Placement> place(Offering offering) {
        if (offering.kind() != SliceKind.VGPU) {
            throw new IllegalArgumentException(offering.code() + " is not a time-sliced vGPU offering");
        }
        List<Long> candidates = jdbc.sql("""
                select g.id from gpu g join host h on h.id = g.host_id
                where g.model = :model and g.mode = 'VGPU'
                  and h.state = 'ONLINE' and h.last_seen_at > now() - make_interval(secs => :offlineSeconds)
                  and not exists (select 1 from slice s where s.gpu_id = g.id and s.state <> 'RELEASED'
                                  and s.offering_id <> :offeringId)
                order by (select count(*) from slice s where s.gpu_id = g.id and s.state <> 'RELEASED') desc, g.id
                """)
                .param("model", offering.gpuModel())
                .param("offlineSeconds", settings.hostOfflineAfter().toSeconds())
                .param("offeringId", offering.id())
                .query(Long.class).list();
        for (long gpuId : candidates) {
            Optional<Placement> placement = tryGpu(gpuId, offering);
            if (placement.isPresent()) {
                return placement;
            }
        }
        return Optional.empty();
    }

    private Optional<Placement> tryGpu(long gpuId, Offering offering) {
        Long hostId = jdbc.sql("select host_id from gpu where id = ? for update").param(gpuId).query(Long.class).single();
        // Re-checked under the lock: another request may have placed on this GPU since the candidates were listed.
        record Use(long slices, long otherTypes) {
        }
        Use use = jdbc.sql("""
                select count(*) as slices, count(*) filter (where offering_id <> :offeringId) as other_types
                from slice where gpu_id = :gpuId and state <> 'RELEASED'
                """).param("offeringId", offering.id()).param("gpuId", gpuId).query(Use.class).single();
        if (use.otherTypes() > 0 || use.slices() >= offering.maxInstancesPerGpu()) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select v.id from virtual_function v
                where v.gpu_id = ? and not exists (select 1 from slice s where s.vf_id = v.id and s.state <> 'RELEASED')
                order by v.pci_address limit 1
                """).param(gpuId).query(Long.class).optional()
                .map(vfId -> Placement.vgpu(hostId, gpuId, vfId));
    }
}
