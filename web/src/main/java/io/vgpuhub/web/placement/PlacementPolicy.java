package io.vgpuhub.web.placement;

/** How placement chooses among GPUs that can all take a slice. */
public enum PlacementPolicy {

    /**
     * Least fragmentation: fill partly used GPUs (and, for MIG, the slots that keep the largest profiles placeable)
     * before opening an empty GPU, so whole GPUs and large profiles stay available.
     */
    PACK,

    /** Spread slices over the least used GPUs and hosts, so one busy or failing host affects fewer VMs. */
    SPREAD
}
