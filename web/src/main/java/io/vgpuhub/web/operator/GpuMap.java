package io.vgpuhub.web.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads GPUs with their live slices and works out each one's capacity picture. */
@Component
class GpuMap {

    /**
     * Per GPU: the modes it supports and how many MIG memory slots it has (8, the A30 4), from what its agent
     * discovered, else from the catalog for its model.
     */
    private static final String GPUS = """
            select g.id, g.host_id, h.name as host_name, g.model, g.pci_address, g.memory_mib, g.mode, g.reported_mode,
                   g.mig_capable,
                   (exists (select 1 from gpu_vgpu_type t where t.gpu_id = g.id)
                    or exists (select 1 from offering o where o.kind = 'VGPU' and o.gpu_model = g.model)) as vgpu_capable,
                   least(8, coalesce(
                       (select max(s + p.mig_slices) from gpu_mig_profile p, unnest(p.start_slots) s where p.gpu_id = g.id),
                       (select max(s + o.mig_slices) from offering o, unnest(o.mig_start_slots) s
                        where o.kind = 'MIG' and o.gpu_model = g.model),
                       8)) as mig_slots
            from gpu g join host h on h.id = g.host_id
            """;

    private static final String LIVE = """
            select s.gpu_id, s.uuid, t.name as tenant_name, s.vm_name, s.state, o.code as offering_code, o.vgpu_type,
                   o.mig_profile, s.mig_start_slot, s.mig_size, v.pci_address as vf_pci_address,
                   o.max_instances_per_gpu as offering_max_instances, vt.max_instances as reported_max_instances
            from slice s
            join gpu g on g.id = s.gpu_id
            join tenant t on t.id = s.tenant_id
            join offering o on o.id = s.offering_id
            left join virtual_function v on v.id = s.vf_id
            left join gpu_vgpu_type vt on vt.gpu_id = s.gpu_id and vt.vgpu_type = o.vgpu_type
            where s.state <> 'RELEASED'
            """;

    private record GpuRow(long id, long hostId, String hostName, String model, String pciAddress, int memoryMib,
            String mode, String reportedMode, boolean migCapable, boolean vgpuCapable, int migSlots) {

        List<String> supportedModes() {
            List<String> modes = new ArrayList<>();
            if (vgpuCapable) {
                modes.add("VGPU");
            }
            if (migCapable) {
                modes.add("MIG");
            }
            modes.add("PASSTHROUGH");
            return modes;
        }
    }

    private final JdbcClient jdbc;

    GpuMap(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** All GPUs, or those of one host, by host name and PCI address. */
    List<GpuCard> gpus(Long hostId) {
        String where = hostId == null ? "" : " where g.host_id = :hostId";
        var gpuQuery = jdbc.sql(GPUS + where + " order by h.name, g.pci_address");
        var liveQuery = jdbc.sql(LIVE + (hostId == null ? "" : " and g.host_id = :hostId")
                + " order by s.gpu_id, s.mig_start_slot nulls last, s.created_at, s.id");
        if (hostId != null) {
            gpuQuery = gpuQuery.param("hostId", hostId);
            liveQuery = liveQuery.param("hostId", hostId);
        }
        Map<Long, List<Holder>> live = liveQuery.query(Holder.class).list().stream()
                .collect(Collectors.groupingBy(Holder::gpuId));
        return gpuQuery.query(GpuRow.class).list().stream()
                .map(g -> card(g, live.getOrDefault(g.id(), List.of())))
                .toList();
    }

    /** The GPU's facts needed to decide a mode change, or null when there is no such GPU. */
    GpuCard gpu(long gpuId) {
        return jdbc.sql(GPUS + " where g.id = ?").param(gpuId).query(GpuRow.class).optional()
                .map(g -> card(g, jdbc.sql(LIVE + " and s.gpu_id = :gpuId order by s.id").param("gpuId", gpuId)
                        .query(Holder.class).list()))
                .orElse(null);
    }

    private static GpuCard card(GpuRow g, List<Holder> live) {
        Capacity capacity = switch (g.mode()) {
            case "MIG" -> Capacity.mig(live, g.migSlots());
            case "PASSTHROUGH" -> Capacity.passthrough(live);
            default -> Capacity.vgpu(live);
        };
        return new GpuCard(g.id(), g.hostId(), g.hostName(), g.model(), g.pciAddress(), g.memoryMib(), g.mode(),
                g.reportedMode(), g.migCapable(), g.supportedModes(), live, capacity);
    }
}
