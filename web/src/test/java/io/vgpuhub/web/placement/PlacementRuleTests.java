package io.vgpuhub.web.placement;

import static io.vgpuhub.web.placement.Geometry.A100_40GB;
import static io.vgpuhub.web.placement.Geometry.A30;
import static io.vgpuhub.web.placement.Geometry.emptyGpu;
import static io.vgpuhub.web.placement.Geometry.withMig;
import static io.vgpuhub.web.placement.Geometry.withVgpus;
import static io.vgpuhub.web.placement.PlacementPolicy.PACK;
import static io.vgpuhub.web.placement.PlacementPolicy.SPREAD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vgpuhub.web.catalog.SliceKind;
import org.junit.jupiter.api.Test;

/** Each placement rule on a small cluster, without a database: the planner's decisions one by one. */
class PlacementRuleTests {

    private static Optional<Placement> place(PlacementRequest request, PlacementPolicy policy, GpuState... gpus) {
        return Planner.rank(request, List.of(gpus), policy).stream().findFirst();
    }

    private static GpuState a40(long id, long host, int vfs) {
        return emptyGpu(id, host, "A40", SliceKind.VGPU, vfs);
    }

    private static GpuState a100(long id, long host) {
        return emptyGpu(id, host, "A100-40GB", SliceKind.MIG, 0);
    }

    private static GpuState a30(long id) {
        return emptyGpu(id, 1, "A30", SliceKind.MIG, 0);
    }

    // -- time-sliced vGPU -----------------------------------------------------------------------------------------

    @Test
    void aVgpuGpuRunsOneTypeAtATime() {
        GpuState with8Q = withVgpus(a40(1, 1, 16), Geometry.VGPU_8Q, 1);
        assertThat(place(Geometry.a40_4Q(), PACK, with8Q)).isEmpty();
        assertThat(place(Geometry.a40_8Q(), PACK, with8Q)).isPresent();
    }

    @Test
    void aGpuTakesNoMoreThanTheTypesMaxInstances() {
        assertThat(place(Geometry.a40_8Q(), PACK, withVgpus(a40(1, 1, 16), Geometry.VGPU_8Q, 5))).isPresent();
        assertThat(place(Geometry.a40_8Q(), PACK, withVgpus(a40(1, 1, 16), Geometry.VGPU_8Q, 6))).isEmpty();
    }

    @Test
    void anSriovGpuNeedsAFreeVirtualFunction() {
        GpuState twoVfs = withVgpus(a40(1, 1, 2), Geometry.VGPU_8Q, 1);
        assertThat(place(Geometry.a40_8Q(), PACK, twoVfs)).contains(Placement.vgpu(1, 1, 101L));
        assertThat(place(Geometry.a40_8Q(), PACK, withVgpus(twoVfs, Geometry.VGPU_8Q, 1))).isEmpty();
    }

    @Test
    void aGpuWithoutSriovCarriesItsVgpusWithoutAVirtualFunction() {
        PlacementRequest t4 = new PlacementRequest(9, "T4-8Q", SliceKind.VGPU, "T4", "T4-8Q", 2, null, List.of());
        GpuState noSriov = emptyGpu(1, 1, "T4", SliceKind.VGPU, 0);
        assertThat(noSriov.sriov()).isFalse();
        assertThat(place(t4, PACK, noSriov)).contains(Placement.vgpu(1, 1, null));
        assertThat(Planner.capacity(t4, noSriov)).isEqualTo(2);
    }

    @Test
    void discoveredMaxInstancesOverrideTheSeed() {
        GpuState reportsFour = Geometry.discovered(withVgpus(a40(1, 1, 16), Geometry.VGPU_8Q, 4),
                Map.of("A40-8Q", 4), List.of());
        assertThat(place(Geometry.a40_8Q(), PACK, reportsFour)).as("seed says 6, agent says 4").isEmpty();
        GpuState reportsEight = Geometry.discovered(a40(1, 1, 16), Map.of("A40-8Q", 8), List.of());
        assertThat(Planner.capacity(Geometry.a40_8Q(), reportsEight)).isEqualTo(8);
    }

    @Test
    void aGpuWhoseAgentReportedOtherTypesCannotTakeThisOne() {
        GpuState onlyOtherTypes = Geometry.discovered(a40(1, 1, 16), Map.of("A40-4Q", 12), List.of());
        assertThat(place(Geometry.a40_8Q(), PACK, onlyOtherTypes)).isEmpty();
    }

    @Test
    void packFillsAPartlyUsedGpuOfTheSameTypeBeforeOpeningAnEmptyOne() {
        GpuState empty = a40(1, 1, 16);
        GpuState otherType = withVgpus(a40(2, 1, 16), Geometry.VGPU_4Q, 3);
        GpuState oneUsed = withVgpus(a40(3, 2, 16), Geometry.VGPU_8Q, 1);
        GpuState threeUsed = withVgpus(a40(4, 2, 16), Geometry.VGPU_8Q, 3);
        GpuState full = withVgpus(a40(5, 2, 16), Geometry.VGPU_8Q, 6);
        assertThat(Planner.rank(Geometry.a40_8Q(), List.of(empty, otherType, oneUsed, threeUsed, full), PACK))
                .extracting(Placement::gpuId).containsExactly(4L, 3L, 1L);
    }

    @Test
    void spreadOpensTheLeastUsedGpuOnTheLeastBusyHost() {
        GpuState busyHostEmpty = a40(1, 1, 16);
        GpuState busyHostUsed = withVgpus(a40(2, 1, 16), Geometry.VGPU_4Q, 3);
        GpuState quietHostEmpty = a40(3, 2, 16);
        GpuState oneUsed = withVgpus(a40(4, 3, 16), Geometry.VGPU_8Q, 1);
        List<GpuState> cluster = List.of(withLoad(busyHostEmpty, 3), busyHostUsed, quietHostEmpty, oneUsed);
        assertThat(Planner.rank(Geometry.a40_8Q(), cluster, SPREAD)).extracting(Placement::gpuId)
                .containsExactly(3L, 1L, 4L);
    }

    @Test
    void aDrainingOrSilentHostGetsNothing() {
        GpuState onDrainingHost = Geometry.offline(a40(1, 1, 16));
        assertThat(place(Geometry.a40_8Q(), PACK, onDrainingHost)).isEmpty();
        assertThat(place(Geometry.a40Whole(), PACK, Geometry.offline(emptyGpu(2, 1, "A40", SliceKind.PASSTHROUGH, 0))))
                .isEmpty();
        assertThat(place(Geometry.mig(A100_40GB, "1g.5gb"), PACK, Geometry.offline(a100(3, 1)))).isEmpty();
    }

    @Test
    void aGpuInAnotherModeOrOfAnotherModelGetsNothing() {
        assertThat(place(Geometry.a40_8Q(), PACK, emptyGpu(1, 1, "A40", SliceKind.PASSTHROUGH, 16))).isEmpty();
        assertThat(place(Geometry.a40_8Q(), PACK, emptyGpu(1, 1, "L40S", SliceKind.VGPU, 16))).isEmpty();
        assertThat(place(Geometry.a40Whole(), PACK, a40(1, 1, 16))).isEmpty();
    }

    // -- MIG ------------------------------------------------------------------------------------------------------

    @Test
    void aMigProfileStartsOnlyAtItsAllowedSlots() {
        PlacementRequest threeG = Geometry.mig(A100_40GB, "3g.20gb");
        assertThat(place(threeG, PACK, withMig(a100(1, 1), A100_40GB, "1g.5gb", 1)))
                .contains(Placement.mig(1, 1, 4, 4));
        // Slots 2-3 and 6-7 are free, but a 3g may start only at 0 or 4.
        GpuState oneGsAtOneAndFive = withMig(withMig(a100(1, 1), A100_40GB, "1g.5gb", 1), A100_40GB, "1g.5gb", 5);
        assertThat(place(threeG, PACK, oneGsAtOneAndFive)).isEmpty();
        assertThat(place(Geometry.mig(A100_40GB, "4g.20gb"), PACK, withMig(a100(1, 1), A100_40GB, "1g.5gb", 3)))
                .as("a 4g only ever starts at 0").isEmpty();
    }

    @Test
    void threeG_plusThreeG_leavesNoRoomForA1g() {
        GpuState twoThreeGs = withMig(withMig(a100(1, 1), A100_40GB, "3g.20gb", 0), A100_40GB, "3g.20gb", 4);
        assertThat(place(Geometry.mig(A100_40GB, "1g.5gb"), PACK, twoThreeGs))
                .as("one compute slice is idle, but every memory slice is taken").isEmpty();
    }

    @Test
    void fourG_plusThreeG_fitsOnlyWithTheThreeGAtFour() {
        GpuState fourG = withMig(a100(1, 1), A100_40GB, "4g.20gb", 0);
        assertThat(place(Geometry.mig(A100_40GB, "3g.20gb"), PACK, fourG)).contains(Placement.mig(1, 1, 4, 4));
    }

    @Test
    void fourG_twoG_oneG_isTheUserGuidesExample() {
        GpuState fourGTwoG = withMig(withMig(a100(1, 1), A100_40GB, "4g.20gb", 0), A100_40GB, "2g.10gb", 4);
        assertThat(place(Geometry.mig(A100_40GB, "1g.5gb"), PACK, fourGTwoG)).contains(Placement.mig(1, 1, 6, 1));
        assertThat(place(Geometry.mig(A100_40GB, "2g.10gb"), PACK, fourGTwoG))
                .as("4g + 2g + 2g is impossible: a 2g cannot start at 6").isEmpty();
    }

    @Test
    void aOneGGoesToSlotSixSoThatAFourGStillFits() {
        assertThat(place(Geometry.mig(A100_40GB, "1g.5gb"), PACK, a100(1, 1))).contains(Placement.mig(1, 1, 6, 1));
        PlacementRequest twoG = Geometry.mig(A100_40GB, "2g.10gb");
        assertThat(place(twoG, PACK, a100(1, 1))).as("keeps 0-3 for a 4g").contains(Placement.mig(1, 1, 4, 2));
    }

    @Test
    void aPartlyUsedMigGpuIsFilledBeforeAnEmptyOneSoA7gStaysFree() {
        GpuState empty = a100(1, 1);
        GpuState partly = withMig(a100(2, 2), A100_40GB, "3g.20gb", 0);
        assertThat(place(Geometry.mig(A100_40GB, "1g.5gb"), PACK, empty, partly)).contains(Placement.mig(2, 2, 6, 1));
        assertThat(place(Geometry.mig(A100_40GB, "3g.20gb"), PACK, empty, partly)).contains(Placement.mig(2, 2, 4, 4));
    }

    @Test
    void amongPartlyUsedGpusTheMoreFragmentedOneIsFilledFirst() {
        // GPU 1 still fits a 4g (at 0); GPU 2 fits at most a 3g (at 0). A 1g on GPU 2's slot 6 keeps both as they are.
        GpuState roomForAFourG = withMig(a100(1, 1), A100_40GB, "3g.20gb", 4);
        GpuState roomForAThreeG = withMig(a100(2, 1), A100_40GB, "1g.5gb", 4);
        assertThat(place(Geometry.mig(A100_40GB, "1g.5gb"), PACK, roomForAFourG, roomForAThreeG))
                .map(Placement::gpuId).contains(2L);
    }

    @Test
    void spreadPutsMigSlicesOnTheLeastUsedGpuAndStillChoosesTheSlotWithMostRoom() {
        GpuState partly = withMig(a100(1, 1), A100_40GB, "3g.20gb", 0);
        GpuState empty = a100(2, 2);
        assertThat(place(Geometry.mig(A100_40GB, "1g.5gb"), SPREAD, partly, empty)).contains(Placement.mig(2, 2, 6, 1));
    }

    @Test
    void theA30HasFourMemorySlices() {
        PlacementRequest twoG = Geometry.mig(A30, "2g.12gb");
        GpuState twoTwoGs = withMig(withMig(a30(1), A30, "2g.12gb", 0), A30, "2g.12gb", 2);
        assertThat(place(Geometry.mig(A30, "1g.6gb"), PACK, twoTwoGs)).as("0-3 are all the A30 has").isEmpty();
        assertThat(place(twoG, PACK, withMig(a30(1), A30, "1g.6gb", 0))).contains(Placement.mig(1, 1, 2, 2));
        // The second 1g goes beside the first, so that a 2g still fits at 2.
        assertThat(place(Geometry.mig(A30, "1g.6gb"), PACK, withMig(a30(1), A30, "1g.6gb", 0)))
                .contains(Placement.mig(1, 1, 1, 1));
        assertThat(Planner.capacity(Geometry.mig(A30, "1g.6gb"), a30(1))).isEqualTo(4);
        assertThat(Planner.capacity(Geometry.mig(A30, "4g.24gb"), a30(1))).isEqualTo(1);
    }

    @Test
    void aGpuHoldsAtMostTheProfilesMaxInstances() {
        PlacementRequest withMedia = Geometry.mig(A100_40GB, "1g.5gb+me");
        assertThat(place(withMedia, PACK, withMig(a100(1, 1), A100_40GB, "1g.5gb+me", 6))).as("+me: one per GPU").isEmpty();
        assertThat(place(withMedia, PACK, withMig(a100(1, 1), A100_40GB, "1g.5gb", 6))).isPresent();
        assertThat(Planner.capacity(Geometry.mig(A100_40GB, "1g.10gb"), a100(1, 1))).isEqualTo(4);
        assertThat(Planner.capacity(Geometry.mig(A100_40GB, "2g.10gb"), a100(1, 1))).isEqualTo(3);
        assertThat(Planner.capacity(Geometry.mig(A100_40GB, "1g.5gb"), a100(1, 1))).isEqualTo(7);
    }

    @Test
    void discoveredMigProfilesOverrideTheSeed() {
        List<MigProfile> reported = A100_40GB.stream()
                .map(p -> p.name().equals("1g.5gb") ? new MigProfile("1g.5gb", 1, List.of(0, 1, 2, 3, 4, 5, 6), 2) : p)
                .toList();
        GpuState gpu = Geometry.discovered(a100(1, 1), Map.of(), reported);
        assertThat(Planner.capacity(Geometry.mig(A100_40GB, "1g.5gb"), gpu)).isEqualTo(2);
    }

    @Test
    void aMigGpuWhoseAgentDidNotReportTheProfileCannotTakeIt() {
        List<MigProfile> noSevenG = A100_40GB.stream().filter(p -> !p.name().equals("7g.40gb")).toList();
        GpuState gpu = Geometry.discovered(a100(1, 1), Map.of(), noSevenG);
        assertThat(place(Geometry.mig(A100_40GB, "7g.40gb"), PACK, gpu)).isEmpty();
    }

    // -- passthrough ----------------------------------------------------------------------------------------------

    @Test
    void passthroughNeedsAnEmptyGpu() {
        GpuState taken = withVgpus(emptyGpu(1, 1, "A40", SliceKind.PASSTHROUGH, 0), Geometry.PASSTHROUGH, 1);
        GpuState free = emptyGpu(2, 1, "A40", SliceKind.PASSTHROUGH, 0);
        assertThat(place(Geometry.a40Whole(), PACK, taken)).isEmpty();
        assertThat(place(Geometry.a40Whole(), PACK, taken, free)).contains(Placement.passthrough(1, 2));
    }

    @Test
    void passthroughPacksOntoTheBusiestHostAndSpreadsOntoTheQuietest() {
        GpuState onBusyHost = withLoad(emptyGpu(1, 1, "A40", SliceKind.PASSTHROUGH, 0), 2);
        GpuState onQuietHost = emptyGpu(2, 2, "A40", SliceKind.PASSTHROUGH, 0);
        assertThat(place(Geometry.a40Whole(), PACK, onQuietHost, onBusyHost)).map(Placement::gpuId).contains(1L);
        assertThat(place(Geometry.a40Whole(), SPREAD, onBusyHost, onQuietHost)).map(Placement::gpuId).contains(2L);
    }

    private static GpuState withLoad(GpuState gpu, int hostLoad) {
        return new GpuState(gpu.id(), gpu.hostId(), gpu.model(), gpu.mode(), gpu.hostAccepts(), hostLoad, gpu.sriov(),
                gpu.freeVfs(), gpu.live(), gpu.vgpuTypes(), gpu.migProfiles());
    }
}
