package io.vgpuhub.agent.nvml;

/** Where a GPU instance sits: memory slices {@code [start, start + size)}, as {@code nvidia-smi mig -lgipp} prints {@code {start}:size}. */
public record Placement(int start, int size) {

    public boolean overlaps(Placement other) {
        return start < other.start + other.size && other.start < start + size;
    }
}
