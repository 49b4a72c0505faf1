package io.vgpuhub.agent.reconcile;

import java.util.UUID;

/**
 * What the agent created for a slice (an mdev, or on vendor-VFIO hosts a VF's vGPU type), written before the create so that a restarted host gets its mdevs back even
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
 * @param framework {@link #FRAMEWORK_MDEV} (an mdev named {@code sliceId} under {@code parent}) or
 *        {@link #FRAMEWORK_VENDOR_VFIO} (NVIDIA's vendor-specific VFIO framework: {@code parent} is the VF whose
 *        {@code nvidia/current_vgpu_type} the agent set to the number in {@code mdevTypeId}, and there is no mdev and no
 *        mdevctl file). Records written before this field existed read as mdev.
 */
public record SliceRecord(UUID sliceId, String kind, String gpuPciAddress, String parent, String mdevTypeId, String vgpuType,
        String origin, String framework) {

    public static final String ORIGIN_SERVER = "server";
    public static final String ORIGIN_CLI = "cli";
    public static final String FRAMEWORK_MDEV = "mdev";
    public static final String FRAMEWORK_VENDOR_VFIO = "vendor-vfio";

    public SliceRecord {
        if (framework == null) {
            framework = FRAMEWORK_MDEV;
        }
        if (!FRAMEWORK_MDEV.equals(framework) && !FRAMEWORK_VENDOR_VFIO.equals(framework)) {
            throw new IllegalArgumentException("unknown vGPU framework in slice record " + sliceId + ": " + framework);
        }
    }

    /** An mdev slice the server asked for. */
    public SliceRecord(UUID sliceId, String kind, String gpuPciAddress, String parent, String mdevTypeId, String vgpuType) {
        this(sliceId, kind, gpuPciAddress, parent, mdevTypeId, vgpuType, ORIGIN_SERVER);
    }

    /** An mdev slice. */
    public SliceRecord(UUID sliceId, String kind, String gpuPciAddress, String parent, String mdevTypeId, String vgpuType,
            String origin) {
        this(sliceId, kind, gpuPciAddress, parent, mdevTypeId, vgpuType, origin, FRAMEWORK_MDEV);
    }

    /** A vendor-VFIO slice the server asked for: type {@code typeId} on VF {@code vf} of GPU {@code gpuPciAddress}. */
    public static SliceRecord vendorVfio(UUID sliceId, String kind, String gpuPciAddress, String vf, int typeId, String vgpuType) {
        return new SliceRecord(sliceId, kind, gpuPciAddress, vf, "nvidia-" + typeId, vgpuType, ORIGIN_SERVER, FRAMEWORK_VENDOR_VFIO);
    }

    /** Whether the slice is a vendor-VFIO vGPU (a VF's current_vgpu_type), not an mdev. */
    public boolean usesVendorVfio() {
        return FRAMEWORK_VENDOR_VFIO.equals(framework);
    }

    /** The driver's vGPU type id: the number of {@code nvidia-<id>}. */
    public int vgpuTypeNumber() {
        if (mdevTypeId == null || !mdevTypeId.matches("^nvidia-[0-9]{1,5}$")) {
            throw new IllegalStateException("slice record " + sliceId + " has no vGPU type id: " + mdevTypeId);
        }
        return Integer.parseInt(mdevTypeId.substring("nvidia-".length()));
    }

    /** Whether the server owns this slice's lifecycle (true for records written before {@code origin} existed). */
    public boolean fromServer() {
        return origin == null || ORIGIN_SERVER.equals(origin);
    }
}
