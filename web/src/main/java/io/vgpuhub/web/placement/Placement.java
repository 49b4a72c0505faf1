package io.vgpuhub.web.placement;

/**
 * Where a slice goes: a GPU on a host and, by kind, the virtual function (time-sliced vGPU on an SR-IOV GPU) or the
 * MIG placement (first memory slice and size). A passthrough slice takes the whole GPU and needs neither.
 */
public record Placement(long hostId, long gpuId, Long vfId, Integer migStartSlot, Integer migSize) {

    public static Placement vgpu(long hostId, long gpuId, Long vfId) {
        return new Placement(hostId, gpuId, vfId, null, null);
    }

    public static Placement mig(long hostId, long gpuId, int startSlot, int size) {
        return new Placement(hostId, gpuId, null, startSlot, size);
    }

    public static Placement passthrough(long hostId, long gpuId) {
        return new Placement(hostId, gpuId, null, null, null);
    }

    /** For the audit trail: "GPU 7, VF 12", "GPU 3, MIG slots 4-7", "GPU 5, whole GPU". */
    public String describe() {
        if (vfId != null) {
            return "GPU " + gpuId + ", VF " + vfId;
        }
        if (migStartSlot != null) {
            return "GPU " + gpuId + ", MIG slots " + migStartSlot + "-" + (migStartSlot + migSize - 1);
        }
        return "GPU " + gpuId;
    }
}
