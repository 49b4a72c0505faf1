package io.vgpuhub.web.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * MIG: a profile starts only at its allowed memory slices, never overlaps a live instance, and a GPU holds at most
 * the profile's max instances. The agent's discovered profiles override the catalog's seed on that GPU; a GPU whose
 * agent reported profiles but not this one cannot take it.
 *
 * <p>Least fragmentation (PACK) judges a placement by the room it leaves. For each GPU, take the largest profile
 * that still fits on it; a placement is better when the cluster's list of those, largest first, is larger. That
 * keeps a 7g free on empty GPUs while a partly used GPU can take the request, and puts a 1g at slot 6 rather than 0
 * on an empty A100 (a 4g still fits at 0). Ties go to the placement that loses the fewest (profile, start) pairs
 * that could still be created. SPREAD takes the least used GPU and host first and the least fragmenting slot on it.
 */
final class MigPlanner {

    private MigPlanner() {
    }

    /**
     * The best start for the request on one GPU, with the room around it before and after.
     *
     * @param largestBefore  rank of the largest profile that fits on the GPU now
     * @param largestAfter   the same once this instance exists
     * @param placementsLost free (profile, start) pairs this instance takes away
     */
    record Option(GpuState gpu, MigProfile profile, int start, int largestBefore, int largestAfter, int placementsLost) {

        Placement placement() {
            return Placement.mig(gpu.hostId(), gpu.id(), start, profile.memorySlices());
        }
    }

    static List<Placement> rank(PlacementRequest request, List<GpuState> gpus, PlacementPolicy policy) {
        Comparator<Option> byUse = Comparator.comparingInt((Option o) -> o.gpu().live().size())
                .thenComparingInt(o -> o.gpu().hostLoad());
        Comparator<Option> fragmentation = MigPlanner::leastFragmentingFirst;
        Comparator<Option> order = policy == PlacementPolicy.PACK
                ? fragmentation.thenComparing(byUse.reversed())
                : byUse.thenComparing(fragmentation);
        return gpus.stream().map(gpu -> bestOn(gpu, request)).flatMap(Optional::stream)
                .sorted(order.thenComparingLong(o -> o.gpu().id()))
                .map(Option::placement).toList();
    }

    /** The start on this GPU that leaves the most room; empty when the request fits nowhere on it. */
    static Optional<Option> bestOn(GpuState gpu, PlacementRequest request) {
        Optional<MigProfile> wanted = profileOn(gpu, request);
        if (!Planner.admits(gpu, request) || wanted.isEmpty()) {
            return Optional.empty();
        }
        MigProfile profile = wanted.get();
        MigLayout layout = MigLayout.of(profilesOn(gpu, request), gpu.live());
        int largestBefore = layout.largestPlaceable();
        int placementsBefore = layout.freePlacements();
        Option best = null;
        for (int start : profile.starts().stream().sorted().toList()) {
            if (!layout.fits(profile, start)) {
                continue;
            }
            MigLayout after = layout.with(profile, start);
            Option option = new Option(gpu, profile, start, largestBefore, after.largestPlaceable(),
                    placementsBefore - after.freePlacements());
            if (best == null || option.largestAfter() > best.largestAfter()
                    || option.largestAfter() == best.largestAfter() && option.placementsLost() < best.placementsLost()) {
                best = option;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Orders two options on different GPUs by the cluster each leaves: the per-GPU largest placeable profiles, sorted
     * largest first and compared element by element. Only the two GPUs differ between the two outcomes ({@code a}
     * after and {@code b} before, against {@code a} before and {@code b} after), so comparing those pairs decides.
     */
    static int leastFragmentingFirst(Option a, Option b) {
        int aHigh = Math.max(a.largestAfter(), b.largestBefore());
        int aLow = Math.min(a.largestAfter(), b.largestBefore());
        int bHigh = Math.max(a.largestBefore(), b.largestAfter());
        int bLow = Math.min(a.largestBefore(), b.largestAfter());
        if (aHigh != bHigh) {
            return Integer.compare(bHigh, aHigh);
        }
        if (aLow != bLow) {
            return Integer.compare(bLow, aLow);
        }
        return Integer.compare(a.placementsLost(), b.placementsLost());
    }

    /** The profiles this GPU offers: what its agent discovered, else the catalog's for its model. */
    static List<MigProfile> profilesOn(GpuState gpu, PlacementRequest request) {
        if (!gpu.migProfiles().isEmpty()) {
            return gpu.migProfiles();
        }
        return request.modelMigProfiles().isEmpty() ? List.of(request.migProfile()) : request.modelMigProfiles();
    }

    /** The requested profile's geometry on this GPU; empty when its agent reported profiles but not this one. */
    static Optional<MigProfile> profileOn(GpuState gpu, PlacementRequest request) {
        if (gpu.migProfiles().isEmpty()) {
            return Optional.of(request.migProfile());
        }
        return gpu.migProfiles().stream().filter(p -> p.name().equals(request.migProfile().name())).findFirst();
    }
}
