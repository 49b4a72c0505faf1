package io.vgpuhub.web.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How many more slices of each enabled offering the cluster could take right now, each counted on its own (two
 * offerings may compete for the same GPUs). Only hosts that are online, fresh and not draining count.
 */
@Component
public class FreeCapacity {

    private final JdbcClient jdbc;
    private final PlacementSettings settings;

    FreeCapacity(JdbcClient jdbc, PlacementSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** Free instances by offering id; an offering no GPU can take maps to 0. */
    public Map<Long, Integer> freeInstancesByOffering() {
        Map<Long, Integer> free = new HashMap<>();
        jdbc.sql("select id from offering where enabled").query(Long.class).list().forEach(id -> free.put(id, 0));
        record Free(long offeringId, int instances) {
        }
        List<Free> vgpu = jdbc.sql("""
                with usable as (
                    select g.* from gpu g join host h on h.id = g.host_id
                    where h.state = 'ONLINE' and h.last_seen_at > now() - make_interval(secs => :offlineSeconds))
                select o.id as offering_id, coalesce(sum(greatest(0, least(
                           coalesce(t.max_instances, o.max_instances_per_gpu)
                               - (select count(*) from slice s where s.gpu_id = g.id and s.state <> 'RELEASED'),
                           case when g.sriov then (select count(*) from virtual_function v where v.gpu_id = g.id
                                    and not exists (select 1 from slice s where s.vf_id = v.id and s.state <> 'RELEASED'))
                                else 64 end))), 0) as instances
                from offering o
                join usable g on g.model = o.gpu_model and g.mode = 'VGPU'
                left join gpu_vgpu_type t on t.gpu_id = g.id and t.vgpu_type = o.vgpu_type
                where o.enabled and o.kind = 'VGPU'
                  and not exists (select 1 from slice s where s.gpu_id = g.id and s.state <> 'RELEASED'
                                  and s.offering_id <> o.id)
                  and (t.gpu_id is not null or not exists (select 1 from gpu_vgpu_type d where d.gpu_id = g.id))
                group by o.id
                union all
                select o.id, count(g.id)
                from offering o
                join usable g on g.model = o.gpu_model and g.mode = 'PASSTHROUGH'
                where o.enabled and o.kind = 'PASSTHROUGH'
                  and not exists (select 1 from slice s where s.gpu_id = g.id and s.state <> 'RELEASED')
                group by o.id
                """).param("offlineSeconds", settings.hostOfflineAfter().toSeconds()).query(Free.class).list();
        vgpu.forEach(f -> free.put(f.offeringId(), f.instances()));
        migFree().forEach(free::put);
        return free;
    }

    /** MIG: per GPU, how many more instances of the profile fit around the live ones, placed greedily. */
    private Map<Long, Integer> migFree() {
        record Candidate(long offeringId, long gpuId, int size, Integer[] starts, int maxInstances, int sameProfile,
                Integer[] usedStarts, Integer[] usedSizes) {
        }
        List<Candidate> candidates = jdbc.sql("""
                select o.id as offering_id, g.id as gpu_id, coalesce(p.mig_slices, o.mig_slices) as size,
                       coalesce(p.start_slots, o.mig_start_slots) as starts,
                       coalesce(p.max_instances, o.max_instances_per_gpu) as max_instances,
                       (select count(*) from slice s where s.gpu_id = g.id and s.offering_id = o.id
                        and s.state <> 'RELEASED') as same_profile,
                       array(select s.mig_start_slot from slice s where s.gpu_id = g.id and s.state <> 'RELEASED'
                             order by s.id) as used_starts,
                       array(select s.mig_size from slice s where s.gpu_id = g.id and s.state <> 'RELEASED'
                             order by s.id) as used_sizes
                from offering o
                join gpu g on g.model = o.gpu_model and g.mode = 'MIG'
                join host h on h.id = g.host_id
                left join gpu_mig_profile p on p.gpu_id = g.id and p.mig_profile = o.mig_profile
                where o.enabled and o.kind = 'MIG'
                  and h.state = 'ONLINE' and h.last_seen_at > now() - make_interval(secs => :offlineSeconds)
                """).param("offlineSeconds", settings.hostOfflineAfter().toSeconds())
                .query((rs, n) -> new Candidate(rs.getLong(1), rs.getLong(2), rs.getInt(3),
                        (Integer[]) rs.getArray(4).getArray(), rs.getInt(5), rs.getInt(6),
                        (Integer[]) rs.getArray(7).getArray(), (Integer[]) rs.getArray(8).getArray()))
                .list();
        Map<Long, Integer> free = new HashMap<>();
        for (Candidate c : candidates) {
            boolean[] taken = new boolean[8];
            for (int i = 0; i < c.usedStarts().length; i++) {
                for (int slot = c.usedStarts()[i]; slot < c.usedStarts()[i] + c.usedSizes()[i]; slot++) {
                    taken[slot] = true;
                }
            }
            int fits = 0;
            for (int start : c.starts()) {
                boolean clear = start + c.size() <= 8;
                for (int slot = start; clear && slot < start + c.size(); slot++) {
                    clear = !taken[slot];
                }
                if (clear) {
                    for (int slot = start; slot < start + c.size(); slot++) {
                        taken[slot] = true;
                    }
                    fits++;
                }
            }
            free.merge(c.offeringId(), Math.min(fits, Math.max(0, c.maxInstances() - c.sameProfile())), Integer::sum);
        }
        return free;
    }
}
