package io.vgpuhub.web.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.web.catalog.SliceKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The planner against the brute-force oracle on small random clusters: a few GPUs of random modes and host states,
 * random slices already placed, random discovered types and profiles, a random request.
 */
class PlannerPropertyTests {

    @Property(tries = 400)
    @Label("the planner finds a placement exactly when one exists")
    void findsAPlacementExactlyWhenOneExists(@ForAll("scenarios") Scenario s) {
        assertThat(Planner.rank(s.request(), s.cluster(), s.policy()).isEmpty())
                .as("planner found nothing / oracle found nothing, in %s", s)
                .isEqualTo(BruteForceOracle.validPlacements(s.request(), s.cluster()).isEmpty());
    }

    @Property(tries = 400)
    @Label("every place the planner offers obeys every rule, once per GPU")
    void everyRankedPlacementObeysTheRules(@ForAll("scenarios") Scenario s) {
        List<Placement> ranked = Planner.rank(s.request(), s.cluster(), s.policy());
        assertThat(BruteForceOracle.validPlacements(s.request(), s.cluster())).as("%s", s).containsAll(ranked);
        assertThat(ranked.stream().map(Placement::gpuId).distinct().count()).isEqualTo(ranked.size());
    }

    @Property(tries = 400)
    @Label("a MIG placement under PACK leaves as much room as the best placement the oracle finds")
    void migPackIsNeverMoreFragmentingThanTheOraclesBest(@ForAll("migScenarios") Scenario s) {
        List<Placement> ranked = Planner.rank(s.request(), s.cluster(), PlacementPolicy.PACK);
        if (ranked.isEmpty()) {
            return;
        }
        assertThat(BruteForceOracle.scoreAfter(s.request(), s.cluster(), ranked.get(0)))
                .as("score of the planner's %s in %s", ranked.get(0).describe(), s)
                .isEqualByComparingTo(BruteForceOracle.bestScore(s.request(), s.cluster()));
    }

    @Property(tries = 300)
    @Label("vGPU PACK takes the most used GPU that can take it, SPREAD the least used")
    void vgpuPoliciesChooseByUse(@ForAll("vgpuScenarios") Scenario s) {
        List<Placement> ranked = Planner.rank(s.request(), s.cluster(), s.policy());
        List<Integer> uses = BruteForceOracle.validPlacements(s.request(), s.cluster()).stream()
                .map(p -> gpu(s, p.gpuId()).live().size()).toList();
        if (ranked.isEmpty()) {
            return;
        }
        int chosen = gpu(s, ranked.get(0).gpuId()).live().size();
        if (s.policy() == PlacementPolicy.PACK) {
            assertThat(chosen).as("%s", s).isEqualTo(uses.stream().mapToInt(i -> i).max().orElseThrow());
        }
        else {
            assertThat(chosen).as("%s", s).isEqualTo(uses.stream().mapToInt(i -> i).min().orElseThrow());
        }
    }

    @Property(tries = 150)
    @Label("placing one request after another fits as many slices on a GPU as any order could")
    void requestsInARowFitAsManyAsAnyOrder(@ForAll("scenarios") Scenario s) {
        for (GpuState gpu : s.cluster()) {
            assertThat(Planner.capacity(s.request(), gpu)).as("capacity of GPU %d in %s", gpu.id(), s)
                    .isEqualTo(BruteForceOracle.mostInstances(s.request(), gpu));
        }
    }

    private static GpuState gpu(Scenario s, long id) {
        return s.cluster().stream().filter(g -> g.id() == id).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------------------------------------------------

    record Scenario(PlacementRequest request, List<GpuState> cluster, PlacementPolicy policy) {

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(policy + " " + request.code() + " on");
            for (GpuState g : cluster) {
                text.append("\n  GPU ").append(g.id()).append(" host ").append(g.hostId())
                        .append(g.hostAccepts() ? "" : " (host takes nothing)").append(' ').append(g.model())
                        .append(' ').append(g.mode()).append(g.sriov() ? " sriov free VFs " + g.freeVfs() : " no sriov")
                        .append(" live ").append(g.live().stream().map(l -> l.migProfile() == null
                                ? "offering " + l.offeringId() : l.migProfile() + "@" + l.migStart()).toList());
                if (!g.vgpuTypes().isEmpty()) {
                    text.append(" discovered types ").append(g.vgpuTypes());
                }
                if (!g.migProfiles().isEmpty()) {
                    text.append(" discovered profiles ")
                            .append(g.migProfiles().stream().map(p -> p.name() + " max " + p.maxInstances()).toList());
                }
            }
            return text.toString();
        }
    }

    /** How to build one GPU; plain numbers, so jqwik can shrink a failing cluster to a small one. */
    record GpuRecipe(boolean hostAccepts, int host, int modeChoice, boolean otherModel, boolean sriov, int vfs,
            int vgpus, boolean otherType, int discovery, int discoveredMax, List<Integer> migPicks) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.oneOf(vgpuScenarios(), migScenarios(), passthroughScenarios());
    }

    @Provide
    Arbitrary<Scenario> vgpuScenarios() {
        return scenario(Arbitraries.of(Geometry.a40_8Q(), Geometry.a40_4Q()));
    }

    @Provide
    Arbitrary<Scenario> migScenarios() {
        List<PlacementRequest> requests = new ArrayList<>();
        for (List<MigProfile> model : List.of(Geometry.A100_40GB, Geometry.A30)) {
            model.forEach(p -> requests.add(Geometry.mig(model, p.name())));
        }
        return scenario(Arbitraries.of(requests));
    }

    @Provide
    Arbitrary<Scenario> passthroughScenarios() {
        return scenario(Arbitraries.just(Geometry.a40Whole()));
    }

    private Arbitrary<Scenario> scenario(Arbitrary<PlacementRequest> requests) {
        Arbitrary<GpuRecipe> recipes = Builders.withBuilder(() -> new Object[11])
                .use(Arbitraries.of(true, true, true, true, false)).in((a, v) -> set(a, 0, v))
                .use(Arbitraries.integers().between(1, 2)).in((a, v) -> set(a, 1, v))
                .use(Arbitraries.integers().between(0, 5)).in((a, v) -> set(a, 2, v))
                .use(Arbitraries.of(false, false, false, false, false, false, false, false, false, true)).in((a, v) -> set(a, 3, v))
                .use(Arbitraries.of(true, true, false)).in((a, v) -> set(a, 4, v))
                .use(Arbitraries.integers().between(0, 5)).in((a, v) -> set(a, 5, v))
                .use(Arbitraries.integers().between(0, 8)).in((a, v) -> set(a, 6, v))
                .use(Arbitraries.of(false, false, false, true)).in((a, v) -> set(a, 7, v))
                .use(Arbitraries.integers().between(0, 4)).in((a, v) -> set(a, 8, v))
                .use(Arbitraries.integers().between(0, 8)).in((a, v) -> set(a, 9, v))
                .use(Arbitraries.integers().between(0, 99).list().ofMaxSize(12)).in((a, v) -> set(a, 10, v))
                .build(a -> new GpuRecipe((Boolean) a[0], (Integer) a[1], (Integer) a[2], (Boolean) a[3],
                        (Boolean) a[4], (Integer) a[5], (Integer) a[6], (Boolean) a[7], (Integer) a[8],
                        (Integer) a[9], castList(a[10])));
        return Combinators.combine(requests, recipes.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(PlacementPolicy.class)).as(PlannerPropertyTests::build);
    }

    private static Object[] set(Object[] values, int index, Object value) {
        values[index] = value;
        return values;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> castList(Object value) {
        return (List<Integer>) value;
    }

    private static Scenario build(PlacementRequest request, List<GpuRecipe> recipes, PlacementPolicy policy) {
        List<GpuState> gpus = new ArrayList<>();
        long id = 1;
        for (GpuRecipe r : recipes) {
            gpus.add(gpu(id++, request, r));
        }
        // A host's load is what all its GPUs hold, as the database counts it.
        Map<Long, Integer> hostLoad = new HashMap<>();
        gpus.forEach(g -> hostLoad.merge(g.hostId(), g.live().size(), Integer::sum));
        List<GpuState> cluster = gpus.stream().map(g -> new GpuState(g.id(), g.hostId(), g.model(), g.mode(),
                g.hostAccepts(), hostLoad.get(g.hostId()), g.sriov(), g.freeVfs(), g.live(), g.vgpuTypes(),
                g.migProfiles())).toList();
        return new Scenario(request, cluster, policy);
    }

    private static GpuState gpu(long id, PlacementRequest request, GpuRecipe r) {
        // Mostly the request's own kind, so that most GPUs are worth deciding about.
        SliceKind mode = r.modeChoice() < 4 ? request.kind() : SliceKind.values()[r.modeChoice() % 3];
        String model = r.otherModel() ? "L40S" : request.gpuModel();
        GpuState gpu = new GpuState(id, r.host(), model, mode, r.hostAccepts(), 0, r.sriov(), List.of(), List.of(), Map.of(),
                List.of());
        return switch (mode) {
            case VGPU -> vgpuGpu(gpu, request, r);
            case MIG -> migGpu(gpu, request, r);
            case PASSTHROUGH -> r.vgpus() % 3 == 0
                    ? Geometry.withVgpus(gpu, Geometry.PASSTHROUGH, 1) : gpu;
        };
    }

    private static GpuState vgpuGpu(GpuState gpu, PlacementRequest request, GpuRecipe r) {
        long offering = r.otherType() ? (request.offeringId() == Geometry.VGPU_8Q ? Geometry.VGPU_4Q : Geometry.VGPU_8Q)
                : request.offeringId();
        // Live vGPUs each hold a VF on an SR-IOV GPU; a few more VFs may be free.
        int live = r.sriov() ? Math.min(r.vgpus(), 6) : r.vgpus();
        List<Long> vfs = new ArrayList<>();
        if (r.sriov()) {
            for (int i = 0; i < live + r.vfs(); i++) {
                vfs.add(gpu.id() * 100 + i);
            }
        }
        GpuState withVfs = new GpuState(gpu.id(), gpu.hostId(), gpu.model(), gpu.mode(), gpu.hostAccepts(), 0,
                gpu.sriov(), vfs, List.of(), Map.of(), List.of());
        GpuState placed = Geometry.withVgpus(withVfs, offering, live);
        Map<String, Integer> discovered = switch (r.discovery()) {
            case 1 -> Map.of(request.vgpuType(), r.discoveredMax());
            case 2 -> Map.of("A40-2Q", 24);
            default -> Map.of();
        };
        return Geometry.discovered(placed, discovered, List.of());
    }

    private static GpuState migGpu(GpuState gpu, PlacementRequest request, GpuRecipe r) {
        List<MigProfile> model = request.kind() == SliceKind.MIG ? request.modelMigProfiles() : Geometry.A100_40GB;
        List<MigProfile> discovered = switch (r.discovery()) {
            // The agent reports the same table, but with a lower max for one profile than the seed.
            case 1 -> model.stream().map(p -> p.name().equals(model.get(r.discoveredMax() % model.size()).name())
                    ? new MigProfile(p.name(), p.memorySlices(), p.starts(), Math.min(p.maxInstances(), r.discoveredMax() / 3))
                    : p).toList();
            // The agent reports every profile but the requested one.
            case 2 -> model.stream().filter(p -> request.migProfile() == null
                    || !p.name().equals(request.migProfile().name())).toList();
            default -> List.of();
        };
        GpuState state = Geometry.discovered(gpu, Map.of(), discovered);
        List<MigProfile> offered = discovered.isEmpty() ? model : discovered;
        // Each pick tries one profile at one start; only those that fit are kept, as the database would have it.
        for (int pick : r.migPicks()) {
            MigProfile p = offered.get(pick % offered.size());
            int start = p.starts().get((pick / offered.size()) % p.starts().size());
            if (BruteForceOracle.fits(offered, state.live(), p, start)) {
                state = Geometry.withMig(state, offered, p.name(), start);
            }
        }
        return state;
    }
}
