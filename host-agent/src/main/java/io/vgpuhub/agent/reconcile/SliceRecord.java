package io.vgpuhub.agent.reconcile;

import java.util.UUID;

/**
 * What the agent created for a slice, written before the create so that a restarted host gets its mdevs back even
 * while the server is down, and so that only mdevs the agent created are ever removed. Kept as two files by
 * {@link SliceStore}: {@code <stateDir>/mdevctl.d/<parent>/<uuid>} in mdevctl's own format, and this record, with the
 * vGPU Hub extras, in {@code <stateDir>/slices/<uuid>.json}.
 *
 * @param kind {@code VGPU} (the only kind this agent version creates)
 * @param gpuPciAddress the physical GPU (the PF of an SR-IOV parent); null when only the mdevctl file was found
 * @param parent the mdev parent: a VF on SR-IOV GPUs, else the GPU itself
 * @param mdevTypeId e.g. {@code nvidia-557}
 * @param vgpuType e.g. {@code A40-8Q}; null when only the mdevctl file was found
 * @param origin {@link #ORIGIN_SERVER} (a slice the server asked for; the reconciler removes it when it is no longer
 *        desired) or {@link #ORIGIN_CLI} (created by an operator with {@code mdev create}, or an mdevctl definition an
 *        operator put into the state directory; the reconciler leaves it alone). Records written before this field existed read as null, which means the server.
 */
public record SliceRecord(UUID sliceId, String kind, String gpuPciAddress, String parent, String mdevTypeId, String vgpuType,
        String origin) {

    public static final String ORIGIN_SERVER = "server";
    public static final String ORIGIN_CLI = "cli";

    /** A slice the server asked for. */
    public SliceRecord(UUID sliceId, String kind, String gpuPciAddress, String parent, String mdevTypeId, String vgpuType) {
        this(sliceId, kind, gpuPciAddress, parent, mdevTypeId, vgpuType, ORIGIN_SERVER);
    }

    /** Whether the server owns this slice's lifecycle (true for records written before {@code origin} existed). */
    public boolean fromServer() {
        return origin == null || ORIGIN_SERVER.equals(origin);
    }
}
