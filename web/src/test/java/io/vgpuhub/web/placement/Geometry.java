package io.vgpuhub.web.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vgpuhub.web.catalog.SliceKind;

/** The catalog's MIG tables (V5 seed, from the MIG user guide) and helpers to build planner inputs in tests. */
final class Geometry {

    static final List<MigProfile> A100_40GB = List.of(
            new MigProfile("1g.5gb", 1, List.of(0, 1, 2, 3, 4, 5, 6), 7),
            new MigProfile("1g.5gb+me", 1, List.of(0, 1, 2, 3, 4, 5, 6), 1),
            new MigProfile("1g.10gb", 2, List.of(0, 2, 4, 6), 4),
            new MigProfile("2g.10gb", 2, List.of(0, 2, 4), 3),
            new MigProfile("3g.20gb", 4, List.of(0, 4), 2),
            new MigProfile("4g.20gb", 4, List.of(0), 1),
            new MigProfile("7g.40gb", 8, List.of(0), 1));

    static final List<MigProfile> A30 = List.of(
            new MigProfile("1g.6gb", 1, List.of(0, 1, 2, 3), 4),
            new MigProfile("1g.6gb+me", 1, List.of(0, 1, 2, 3), 1),
            new MigProfile("2g.12gb", 2, List.of(0, 2), 2),
            new MigProfile("2g.12gb+me", 2, List.of(0, 2), 1),
            new MigProfile("4g.24gb", 4, List.of(0), 1));

    static final long VGPU_8Q = 1;
    static final long VGPU_4Q = 2;
    static final long PASSTHROUGH = 3;

    private Geometry() {
    }

    static MigProfile profile(List<MigProfile> model, String name) {
        return model.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** Offering ids of MIG profiles: 100 + index in the model's table. */
    static long offeringId(List<MigProfile> model, MigProfile profile) {
        return 100 + model.indexOf(profile);
    }

    static String modelName(List<MigProfile> model) {
        return model == A30 ? "A30" : "A100-40GB";
    }

    static PlacementRequest mig(List<MigProfile> model, String profile) {
        MigProfile p = profile(model, profile);
        return new PlacementRequest(offeringId(model, p), modelName(model) + " " + profile, SliceKind.MIG,
                modelName(model), null, p.maxInstances(), p, model);
    }

    static PlacementRequest a40_8Q() {
        return new PlacementRequest(VGPU_8Q, "A40-8Q", SliceKind.VGPU, "A40", "A40-8Q", 6, null, List.of());
    }

    static PlacementRequest a40_4Q() {
        return new PlacementRequest(VGPU_4Q, "A40-4Q", SliceKind.VGPU, "A40", "A40-4Q", 12, null, List.of());
    }

    static PlacementRequest a40Whole() {
        return new PlacementRequest(PASSTHROUGH, "A40 whole GPU", SliceKind.PASSTHROUGH, "A40", null, 1, null, List.of());
    }

    /** A GPU on an online host with nothing on it; {@code vfs} free virtual functions numbered id * 100 + i. */
    static GpuState emptyGpu(long id, long hostId, String model, SliceKind mode, int vfs) {
        List<Long> free = new ArrayList<>();
        for (int i = 0; i < vfs; i++) {
            free.add(id * 100 + i);
        }
        return new GpuState(id, hostId, model, mode, true, 0, vfs > 0, free, List.of(), Map.of(), List.of());
    }

    static GpuState withMig(GpuState gpu, List<MigProfile> model, String profile, int start) {
        MigProfile p = profile(model, profile);
        List<LiveSlice> live = new ArrayList<>(gpu.live());
        live.add(new LiveSlice(offeringId(model, p), p.name(), start, p.memorySlices()));
        return new GpuState(gpu.id(), gpu.hostId(), gpu.model(), gpu.mode(), gpu.hostAccepts(), gpu.hostLoad() + 1,
                gpu.sriov(), gpu.freeVfs(), live, gpu.vgpuTypes(), gpu.migProfiles());
    }

    static GpuState withVgpus(GpuState gpu, long offeringId, int count) {
        List<LiveSlice> live = new ArrayList<>(gpu.live());
        List<Long> free = new ArrayList<>(gpu.freeVfs());
        for (int i = 0; i < count; i++) {
            live.add(new LiveSlice(offeringId, null, null, null));
            if (gpu.sriov() && !free.isEmpty()) {
                free.remove(0);
            }
        }
        return new GpuState(gpu.id(), gpu.hostId(), gpu.model(), gpu.mode(), gpu.hostAccepts(), gpu.hostLoad() + count,
                gpu.sriov(), free, live, gpu.vgpuTypes(), gpu.migProfiles());
    }

    static GpuState offline(GpuState gpu) {
        return new GpuState(gpu.id(), gpu.hostId(), gpu.model(), gpu.mode(), false, gpu.hostLoad(), gpu.sriov(),
                gpu.freeVfs(), gpu.live(), gpu.vgpuTypes(), gpu.migProfiles());
    }

    static GpuState discovered(GpuState gpu, Map<String, Integer> vgpuTypes, List<MigProfile> migProfiles) {
        return new GpuState(gpu.id(), gpu.hostId(), gpu.model(), gpu.mode(), gpu.hostAccepts(), gpu.hostLoad(),
                gpu.sriov(), gpu.freeVfs(), gpu.live(), vgpuTypes, migProfiles);
    }
}
