package io.vgpuhub.web.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.vgpuhub.web.catalog.SliceKind;

/**
 * The placement rules written the slow, obvious way, independently of the planner: every GPU, every virtual
 * function, every memory slice is tried. The property tests hold the planner against it.
 */
final class BruteForceOracle {

    private BruteForceOracle() {
    }

    /** Every placement of one slice that obeys the hardware's rules. */
    static List<Placement> validPlacements(PlacementRequest request, List<GpuState> cluster) {
        List<Placement> valid = new ArrayList<>();
        for (GpuState gpu : cluster) {
            if (!gpu.hostAccepts() || gpu.mode() != request.kind() || !gpu.model().equals(request.gpuModel())) {
                continue;
            }
            switch (request.kind()) {
                case PASSTHROUGH -> {
                    if (gpu.live().isEmpty()) {
                        valid.add(Placement.passthrough(gpu.hostId(), gpu.id()));
                    }
                }
                case VGPU -> {
                    int max = gpu.vgpuTypes().isEmpty() ? request.maxInstancesPerGpu()
                            : gpu.vgpuTypes().containsKey(request.vgpuType()) ? gpu.vgpuTypes().get(request.vgpuType()) : 0;
                    boolean oneType = true;
                    for (LiveSlice slice : gpu.live()) {
                        oneType &= slice.offeringId() == request.offeringId();
                    }
                    if (!oneType || gpu.live().size() >= max) {
                        continue;
                    }
                    if (gpu.sriov()) {
                        for (Long vf : gpu.freeVfs()) {
                            valid.add(Placement.vgpu(gpu.hostId(), gpu.id(), vf));
                        }
                    }
                    else {
                        valid.add(Placement.vgpu(gpu.hostId(), gpu.id(), null));
                    }
                }
                case MIG -> {
                    Optional<MigProfile> wanted = wanted(gpu, request);
                    if (wanted.isEmpty()) {
                        continue;
                    }
                    List<MigProfile> profiles = profiles(gpu, request);
                    for (int start = 0; start < 8; start++) {
                        if (fits(profiles, gpu.live(), wanted.get(), start)) {
                            valid.add(Placement.mig(gpu.hostId(), gpu.id(), start, wanted.get().memorySlices()));
                        }
                    }
                }
            }
        }
        return valid;
    }

    static List<MigProfile> profiles(GpuState gpu, PlacementRequest request) {
        return gpu.migProfiles().isEmpty() ? request.modelMigProfiles() : gpu.migProfiles();
    }

    static Optional<MigProfile> wanted(GpuState gpu, PlacementRequest request) {
        if (gpu.migProfiles().isEmpty()) {
            return Optional.of(request.migProfile());
        }
        return gpu.migProfiles().stream().filter(p -> p.name().equals(request.migProfile().name())).findFirst();
    }

    /** One more {@code profile} at {@code start} beside {@code live}, on a GPU offering {@code profiles}. */
    static boolean fits(List<MigProfile> profiles, List<LiveSlice> live, MigProfile profile, int start) {
        int memorySlices = 0;
        int computeSlices = 0;
        for (MigProfile p : profiles) {
            for (int s : p.starts()) {
                memorySlices = Math.max(memorySlices, s + p.memorySlices());
            }
            computeSlices = Math.max(computeSlices, compute(p.name()));
        }
        if (!profile.starts().contains(start) || start + profile.memorySlices() > memorySlices) {
            return false;
        }
        int computeUsed = compute(profile.name());
        int sameProfile = 0;
        for (LiveSlice slice : live) {
            boolean apart = slice.migStart() + slice.migSize() <= start || start + profile.memorySlices() <= slice.migStart();
            if (!apart) {
                return false;
            }
            computeUsed += compute(slice.migProfile());
            if (profile.name().equals(slice.migProfile())) {
                sameProfile++;
            }
        }
        return computeUsed <= computeSlices && sameProfile < profile.maxInstances();
    }

    private static int compute(String profileName) {
        return profileName.charAt(0) - '0';
    }

    /**
     * The fragmentation score of the cluster once {@code where} holds the request (higher is better): for every
     * GPU that could take MIG slices of the model, the largest profile (by compute, then memory) that still fits,
     * sorted largest first; then how many (profile, start) pairs still fit in all.
     */
    static Score scoreAfter(PlacementRequest request, List<GpuState> cluster, Placement where) {
        List<Integer> largest = new ArrayList<>();
        int placements = 0;
        for (GpuState gpu : cluster) {
            if (!gpu.hostAccepts() || gpu.mode() != SliceKind.MIG || !gpu.model().equals(request.gpuModel())) {
                continue;
            }
            List<LiveSlice> live = new ArrayList<>(gpu.live());
            if (gpu.id() == where.gpuId()) {
                live.add(new LiveSlice(request.offeringId(), wanted(gpu, request).orElseThrow().name(),
                        where.migStartSlot(), where.migSize()));
            }
            int best = 0;
            for (MigProfile p : profiles(gpu, request)) {
                for (int start = 0; start < 8; start++) {
                    if (fits(profiles(gpu, request), live, p, start)) {
                        placements++;
                        best = Math.max(best, compute(p.name()) * 16 + p.memorySlices());
                    }
                }
            }
            largest.add(best);
        }
        largest.sort(Comparator.reverseOrder());
        return new Score(largest.stream().mapToInt(Integer::intValue).toArray(), placements);
    }

    /** The best score any valid placement reaches. */
    static Score bestScore(PlacementRequest request, List<GpuState> cluster) {
        return validPlacements(request, cluster).stream().map(p -> scoreAfter(request, cluster, p))
                .max(Comparator.naturalOrder()).orElseThrow();
    }

    /** The most slices of the request one GPU can ever hold beside what it has, by trying every order. */
    static int mostInstances(PlacementRequest request, GpuState gpu) {
        int most = 0;
        for (Placement p : validPlacements(request, List.of(gpu))) {
            most = Math.max(most, 1 + mostInstances(request, gpu.with(p, request)));
            if (request.kind() != SliceKind.MIG) {
                break;  // vGPU and passthrough places differ only by which VF: one is as good as another
            }
        }
        return most;
    }

    record Score(int[] largestPerGpu, int freePlacements) implements Comparable<Score> {

        @Override
        public int compareTo(Score other) {
            int byLargest = Arrays.compare(largestPerGpu, other.largestPerGpu);
            return byLargest != 0 ? byLargest : Integer.compare(freePlacements, other.freePlacements);
        }

        @Override
        public String toString() {
            return Arrays.toString(largestPerGpu) + " with " + freePlacements + " free placements";
        }
    }
}
