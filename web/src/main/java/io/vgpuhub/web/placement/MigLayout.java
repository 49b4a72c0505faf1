package io.vgpuhub.web.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The MIG instances on one GPU and what else fits beside them. An instance occupies memory slices
 * {@code [start, start + size)}; it may start only at its profile's allowed slots, may not overlap another, and the
 * compute slices of all instances stay within the GPU's. The GPU's size is read from its profiles: the full profile
 * (7g on A100/H100, 4g.24gb on A30) spans every memory slice and every compute slice.
 */
final class MigLayout {

    private final List<MigProfile> profiles;
    private final int memorySlices;
    private final int computeSlices;
    private final int occupied;
    private final int computeUsed;
    private final Map<String, Integer> instances;

    private MigLayout(List<MigProfile> profiles, int occupied, int computeUsed, Map<String, Integer> instances) {
        this.profiles = profiles;
        this.memorySlices = profiles.stream()
                .mapToInt(p -> p.starts().stream().mapToInt(s -> s + p.memorySlices()).max().orElse(0)).max().orElse(0);
        this.computeSlices = profiles.stream().mapToInt(MigProfile::computeSlices).max().orElse(0);
        this.occupied = occupied;
        this.computeUsed = computeUsed;
        this.instances = instances;
    }

    /** The layout of {@code live} on a GPU that offers {@code profiles}. */
    static MigLayout of(List<MigProfile> profiles, List<LiveSlice> live) {
        int occupied = 0;
        int compute = 0;
        Map<String, Integer> instances = new HashMap<>();
        for (LiveSlice slice : live) {
            if (slice.migStart() == null || slice.migSize() == null) {
                continue;
            }
            occupied |= mask(slice.migStart(), slice.migSize());
            MigProfile profile = profiles.stream().filter(p -> p.name().equals(slice.migProfile())).findFirst()
                    .orElse(new MigProfile(String.valueOf(slice.migProfile()), slice.migSize(), List.of(), 0));
            compute += profile.computeSlices();
            instances.merge(profile.name(), 1, Integer::sum);
        }
        return new MigLayout(List.copyOf(profiles), occupied, compute, instances);
    }

    int memorySlices() {
        return memorySlices;
    }

    boolean isEmpty() {
        return occupied == 0;
    }

    /** Whether one more instance of {@code profile} can start at {@code start}. */
    boolean fits(MigProfile profile, int start) {
        return profile.starts().contains(start)
                && start + profile.memorySlices() <= memorySlices
                && (occupied & mask(start, profile.memorySlices())) == 0
                && computeUsed + profile.computeSlices() <= computeSlices
                && instances.getOrDefault(profile.name(), 0) < profile.maxInstances();
    }

    MigLayout with(MigProfile profile, int start) {
        Map<String, Integer> more = new HashMap<>(instances);
        more.merge(profile.name(), 1, Integer::sum);
        return new MigLayout(profiles, occupied | mask(start, profile.memorySlices()),
                computeUsed + profile.computeSlices(), more);
    }

    /** The rank ({@link MigProfile#rank()}) of the largest profile that still fits somewhere; 0 when none does. */
    int largestPlaceable() {
        int largest = 0;
        for (MigProfile profile : profiles) {
            if (profile.rank() > largest && profile.starts().stream().anyMatch(start -> fits(profile, start))) {
                largest = profile.rank();
            }
        }
        return largest;
    }

    /** How many (profile, start) pairs could each still be created on their own: the room left for what comes next. */
    int freePlacements() {
        int free = 0;
        for (MigProfile profile : profiles) {
            for (int start : profile.starts()) {
                if (fits(profile, start)) {
                    free++;
                }
            }
        }
        return free;
    }

    private static int mask(int start, int size) {
        return ((1 << size) - 1) << start;
    }
}
