package io.vgpuhub.agent.server;

import java.util.List;

/**
 * Answer of {@code GET /api/agent/v1/desired-state}: every slice that must exist on this host, and the mode the operator
 * wants each GPU in. Fields the agent does not know are ignored; {@code gpus} is absent from servers before it existed.
 */
public record DesiredState(long generation, List<Slice> slices, List<GpuMode> gpus) {

    public static final String VGPU = "VGPU";
    public static final String MIG = "MIG";
    public static final String PASSTHROUGH = "PASSTHROUGH";

    public DesiredState {
        slices = slices == null ? List.of() : List.copyOf(slices);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    /** A desired state without GPU modes (servers before they existed). */
    public DesiredState(long generation, List<Slice> slices) {
        this(generation, slices, List.of());
    }

    /**
     * The mode the operator wants a GPU in: {@code MIG} (MIG mode on), {@code VGPU} or {@code PASSTHROUGH} (MIG mode off
     * on MIG-capable GPUs). The agent changes a GPU's MIG mode only while the GPU holds no device.
     */
    public record GpuMode(String pciAddress, String mode) {
    }

    /**
     * One desired slice. {@code kind} is {@code VGPU}, {@code MIG} or {@code PASSTHROUGH} (the whole GPU
     * {@code gpuPciAddress}, bound to vfio-pci).
     *
     * @param vgpuType VGPU only: profile name, e.g. {@code A40-8Q}
     * @param migProfile MIG only: GPU-instance profile name as {@code nvidia-smi mig -lgip} prints it, e.g.
     *        {@code 3g.40gb} (a leading {@code MIG } is accepted)
     * @param migStartSlot MIG only: the first memory slice of the placement, one of the profile's allowed starts
     * @param migSize MIG only, optional: the placement's size in memory slices; checked against the profile's when given
     */
    public record Slice(String sliceId, String kind, String gpuPciAddress, String vfPciAddress, String vgpuType,
            String migProfile, Integer migStartSlot, Integer migSize) {

        /** A slice without the MIG fields (a VGPU slice). */
        public Slice(String sliceId, String kind, String gpuPciAddress, String vfPciAddress, String vgpuType) {
            this(sliceId, kind, gpuPciAddress, vfPciAddress, vgpuType, null, null, null);
        }

        /** A MIG slice. */
        public static Slice mig(String sliceId, String gpuPciAddress, String migProfile, int migStartSlot, Integer migSize) {
            return new Slice(sliceId, MIG, gpuPciAddress, null, null, migProfile, migStartSlot, migSize);
        }

        /** A whole GPU passed through to a VM. */
        public static Slice passthrough(String sliceId, String gpuPciAddress) {
            return new Slice(sliceId, PASSTHROUGH, gpuPciAddress, null, null);
        }
    }
}
