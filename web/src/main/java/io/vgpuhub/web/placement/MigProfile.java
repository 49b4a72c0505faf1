package io.vgpuhub.web.placement;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MIG GPU-instance profile's geometry as placement needs it: its size in memory slices, the memory slices it may
 * start at ({@code nvidia-smi mig -lgipp}), and how many instances of it one GPU can hold.
 */
record MigProfile(String name, int memorySlices, List<Integer> starts, int maxInstances) {

    private static final Pattern COMPUTE = Pattern.compile("^(\\d)g");

    MigProfile {
        starts = List.copyOf(starts);
    }

    /** Compute (GPC) slices, read from the name: 3g.20gb takes 3 of the GPU's 7 (4 on an A30). */
    int computeSlices() {
        Matcher m = COMPUTE.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) : memorySlices;
    }

    /**
     * Orders profiles from small to large: by compute slices, then memory. 4g.20gb outranks 3g.20gb though both take
     * four memory slices, and 1g.10gb (two memory slices) outranks 1g.5gb.
     */
    int rank() {
        return computeSlices() * 16 + memorySlices;
    }
}
