package io.vgpuhub.web.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vgpuhub.web.catalog.SliceKind;

/**
 * One GPU as placement sees it at one moment: where it is, whether its host takes new slices, its mode, what it
 * holds and what its agent discovered. Planners decide on these alone, so they are testable without a database.
 *
 * @param hostAccepts whether the host is ONLINE (not DRAINING or OFFLINE) and its agent reported recently
 * @param hostLoad    live slices on the whole host, for tie-breaks between GPUs
 * @param freeVfs     virtual functions without a live slice, in PCI address order
 * @param vgpuTypes   vGPU type to max instances as the agent discovered them; empty when it reported none
 * @param migProfiles MIG profiles as the agent discovered them; empty when it reported none
 */
record GpuState(long id, long hostId, String model, SliceKind mode, boolean hostAccepts, int hostLoad, boolean sriov,
        List<Long> freeVfs, List<LiveSlice> live, Map<String, Integer> vgpuTypes, List<MigProfile> migProfiles) {

    GpuState {
        freeVfs = List.copyOf(freeVfs);
        live = List.copyOf(live);
        vgpuTypes = Map.copyOf(vgpuTypes);
        migProfiles = List.copyOf(migProfiles);
    }

    /** This GPU as it would be with one more slice at {@code where}: what a following request would see. */
    GpuState with(Placement where, PlacementRequest request) {
        if (where.gpuId() != id) {
            throw new IllegalArgumentException("placement " + where.describe() + " is not on GPU " + id);
        }
        List<LiveSlice> more = new ArrayList<>(live);
        more.add(new LiveSlice(request.offeringId(), request.migProfile() == null ? null : request.migProfile().name(),
                where.migStartSlot(), where.migSize()));
        List<Long> vfs = new ArrayList<>(freeVfs);
        vfs.remove(where.vfId());
        return new GpuState(id, hostId, model, mode, hostAccepts, hostLoad + 1, sriov, vfs, more, vgpuTypes, migProfiles);
    }
}
