package io.vgpuhub.web.operator;

import java.util.ArrayList;
import java.util.List;

/**
 * How full a GPU is, drawn as a row of cells: vGPU instances (one cell each, up to the type's max), MIG memory slots
 * (each live instance spans its slots), or the whole GPU for passthrough. A cell without a holder is free.
 *
 * @param vgpuType the vGPU type in use (one per GPU at a time), null when none or not a vGPU GPU
 * @param used     instances, slots or GPUs in use
 * @param total    instances the type allows, memory slots, or 1
 */
record Capacity(String kind, String vgpuType, int used, int total, List<Segment> segments) {

    /** A run of cells: {@code span} cells from {@code start}, held by {@code holder} or free. */
    record Segment(int start, int span, Holder holder) {

        public boolean free() {
            return holder == null;
        }

        public int end() {
            return start + span - 1;
        }
    }

    static Capacity vgpu(List<Holder> live) {
        if (live.isEmpty()) {
            return new Capacity("VGPU", null, 0, 0, List.of());
        }
        Holder first = live.get(0);
        // The driver's own count (agent discovery) wins over the catalog's, as placement does.
        int max = first.reportedMaxInstances() != null ? first.reportedMaxInstances() : first.offeringMaxInstances();
        List<Segment> cells = new ArrayList<>();
        for (int i = 0; i < Math.max(max, live.size()); i++) {
            cells.add(new Segment(i, 1, i < live.size() ? live.get(i) : null));
        }
        return new Capacity("VGPU", first.vgpuType(), live.size(), max, cells);
    }

    /** Slices never overlap (the schema's exclusion constraint), so the slots split into clean runs. */
    static Capacity mig(List<Holder> live, int slots) {
        Holder[] at = new Holder[slots];
        int used = 0;
        for (Holder h : live) {
            if (h.migStartSlot() != null && h.migStartSlot() < slots) {
                at[h.migStartSlot()] = h;
                used += h.migSize();
            }
        }
        List<Segment> segments = new ArrayList<>();
        for (int slot = 0; slot < slots; ) {
            Holder h = at[slot];
            int span = h == null ? 1 : Math.min(h.migSize(), slots - slot);
            segments.add(new Segment(slot, span, h));
            slot += span;
        }
        return new Capacity("MIG", null, used, slots, segments);
    }

    static Capacity passthrough(List<Holder> live) {
        Holder holder = live.isEmpty() ? null : live.get(0);
        return new Capacity("PASSTHROUGH", null, holder == null ? 0 : 1, 1, List.of(new Segment(0, 1, holder)));
    }

    public int free() {
        return Math.max(0, total - used);
    }
}
