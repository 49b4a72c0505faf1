package io.vgpuhub.web.placement;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.vgpuhub.web.catalog.SliceKind;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads what the planners decide on: offerings as placement requests, and GPUs with their hosts' state, live slices,
 * free virtual functions and what their agents discovered. Reads see the caller's transaction, so slices placed
 * earlier in the same request count.
 */
@Repository
class ClusterSnapshots {

    private static final String OFFERING = """
            select id, code, kind, gpu_model, vgpu_type, max_instances_per_gpu, mig_profile, mig_slices, mig_start_slots
            from offering""";

    private final JdbcClient jdbc;
    private final PlacementSettings settings;

    ClusterSnapshots(JdbcClient jdbc, PlacementSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** The offering as a request, with its model's MIG geometry; empty when there is no such offering. */
    Optional<PlacementRequest> request(long offeringId) {
        return jdbc.sql(OFFERING + " where id = ?").param(offeringId).query((rs, n) -> row(rs)).optional()
                .map(row -> row.toRequest(row.kind() == SliceKind.MIG ? migProfilesOf(row.gpuModel()) : List.of()));
    }

    /** Every enabled offering as a request. */
    List<PlacementRequest> enabledRequests() {
        List<OfferingRow> rows = jdbc.sql(OFFERING + " where enabled order by id").query((rs, n) -> row(rs)).list();
        Map<String, List<MigProfile>> migByModel = jdbc.sql(OFFERING + " where kind = 'MIG' order by id")
                .query((rs, n) -> row(rs)).list().stream()
                .collect(Collectors.groupingBy(OfferingRow::gpuModel,
                        Collectors.mapping(OfferingRow::migProfile, Collectors.toList())));
        return rows.stream().map(row -> row.toRequest(migByModel.getOrDefault(row.gpuModel(), List.of()))).toList();
    }

    /** The GPUs of the request's model, as they are now. */
    List<GpuState> gpusFor(PlacementRequest request) {
        return load("g.model = :model", Map.of("model", request.gpuModel()), request.kind());
    }

    /** Every GPU, with everything any kind of request needs. */
    List<GpuState> allGpus() {
        return load("true", Map.of(), null);
    }

    /**
     * Locks the GPU's row until the transaction ends and reads it again: whatever another request placed on it has
     * committed by now, and no other request places on it until this one is done.
     */
    Optional<GpuState> lockAndLoad(long gpuId, PlacementRequest request) {
        jdbc.sql("select id from gpu where id = ? for update").param(gpuId).query(Long.class).optional();
        return load("g.id = :gpuId", Map.of("gpuId", gpuId), request.kind()).stream().findFirst();
    }

    private List<MigProfile> migProfilesOf(String gpuModel) {
        return jdbc.sql(OFFERING + " where kind = 'MIG' and gpu_model = ? order by id").param(gpuModel)
                .query((rs, n) -> row(rs)).list().stream().map(OfferingRow::migProfile).toList();
    }

    /** GPUs matching {@code filter} (on alias g); a null kind loads what every kind needs. */
    private List<GpuState> load(String filter, Map<String, Object> params, SliceKind kind) {
        record Gpu(long id, long hostId, String model, SliceKind mode, boolean sriov, boolean hostAccepts, int hostLoad) {
        }
        List<Gpu> gpus = jdbc.sql("""
                select g.id, g.host_id, g.model, g.mode, g.sriov,
                       coalesce(h.state = 'ONLINE'
                                and h.last_seen_at > now() - make_interval(secs => :offlineSeconds), false) as host_accepts,
                       (select count(*) from slice s join gpu hg on hg.id = s.gpu_id
                        where hg.host_id = g.host_id and s.state <> 'RELEASED') as host_load
                from gpu g join host h on h.id = g.host_id
                where %s order by g.id
                """.formatted(filter))
                .params(params).param("offlineSeconds", settings.hostOfflineAfterSeconds())
                .query(Gpu.class).list();
        if (gpus.isEmpty()) {
            return List.of();
        }
        Map<Long, List<LiveSlice>> live = new HashMap<>();
        jdbc.sql("""
                select s.gpu_id, s.offering_id, o.mig_profile, s.mig_start_slot, s.mig_size
                from slice s join offering o on o.id = s.offering_id join gpu g on g.id = s.gpu_id
                where s.state <> 'RELEASED' and %s order by s.id
                """.formatted(filter)).params(params)
                .query((ResultSet rs) -> {
                    live.computeIfAbsent(rs.getLong("gpu_id"), id -> new ArrayList<>()).add(new LiveSlice(
                            rs.getLong("offering_id"), rs.getString("mig_profile"),
                            rs.getObject("mig_start_slot", Integer.class), rs.getObject("mig_size", Integer.class)));
                });
        Map<Long, List<Long>> freeVfs = new HashMap<>();
        Map<Long, Map<String, Integer>> types = new HashMap<>();
        if (kind == null || kind == SliceKind.VGPU) {
            jdbc.sql("""
                    select v.gpu_id, v.id from virtual_function v join gpu g on g.id = v.gpu_id
                    where %s and not exists (select 1 from slice s where s.vf_id = v.id and s.state <> 'RELEASED')
                    order by v.gpu_id, v.pci_address
                    """.formatted(filter)).params(params)
                    .query((ResultSet rs) -> {
                        freeVfs.computeIfAbsent(rs.getLong("gpu_id"), id -> new ArrayList<>()).add(rs.getLong("id"));
                    });
            jdbc.sql("""
                    select t.gpu_id, t.vgpu_type, t.max_instances from gpu_vgpu_type t join gpu g on g.id = t.gpu_id
                    where %s
                    """.formatted(filter)).params(params)
                    .query((ResultSet rs) -> {
                        types.computeIfAbsent(rs.getLong("gpu_id"), id -> new HashMap<>())
                                .put(rs.getString("vgpu_type"), rs.getInt("max_instances"));
                    });
        }
        Map<Long, List<MigProfile>> migProfiles = new HashMap<>();
        if (kind == null || kind == SliceKind.MIG) {
            jdbc.sql("""
                    select p.gpu_id, p.mig_profile, p.mig_slices, p.start_slots, p.max_instances
                    from gpu_mig_profile p join gpu g on g.id = p.gpu_id
                    where %s order by p.gpu_id, p.mig_slices, p.mig_profile
                    """.formatted(filter)).params(params)
                    .query((ResultSet rs) -> {
                        migProfiles.computeIfAbsent(rs.getLong("gpu_id"), id -> new ArrayList<>()).add(new MigProfile(
                                rs.getString("mig_profile"), rs.getInt("mig_slices"), ints(rs.getArray("start_slots")),
                                rs.getInt("max_instances")));
                    });
        }
        return gpus.stream().map(g -> new GpuState(g.id(), g.hostId(), g.model(), g.mode(), g.hostAccepts(), g.hostLoad(),
                g.sriov(), freeVfs.getOrDefault(g.id(), List.of()), live.getOrDefault(g.id(), List.of()),
                types.getOrDefault(g.id(), Map.of()), migProfiles.getOrDefault(g.id(), List.of()))).toList();
    }

    private record OfferingRow(long id, String code, SliceKind kind, String gpuModel, String vgpuType,
            int maxInstancesPerGpu, MigProfile migProfile) {

        PlacementRequest toRequest(List<MigProfile> modelMigProfiles) {
            return new PlacementRequest(id, code, kind, gpuModel, vgpuType, maxInstancesPerGpu, migProfile,
                    kind == SliceKind.MIG ? modelMigProfiles : List.of());
        }
    }

    private static OfferingRow row(ResultSet rs) throws SQLException {
        SliceKind kind = SliceKind.valueOf(rs.getString("kind"));
        MigProfile mig = kind != SliceKind.MIG ? null : new MigProfile(rs.getString("mig_profile"),
                rs.getInt("mig_slices"), ints(rs.getArray("mig_start_slots")), rs.getInt("max_instances_per_gpu"));
        return new OfferingRow(rs.getLong("id"), rs.getString("code"), kind, rs.getString("gpu_model"),
                rs.getString("vgpu_type"), rs.getInt("max_instances_per_gpu"), mig);
    }

    private static List<Integer> ints(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((Integer[]) array.getArray());
    }
}
