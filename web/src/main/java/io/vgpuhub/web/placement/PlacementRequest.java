package io.vgpuhub.web.placement;

import java.util.List;

import io.vgpuhub.web.catalog.SliceKind;

/**
 * What one slice of an offering needs, from the catalog's seed: used where a GPU's agent reported nothing better.
 *
 * @param migProfile       the MIG profile's seeded geometry; null for other kinds
 * @param modelMigProfiles every MIG profile seeded for the GPU model, to tell how many memory slices the model has
 *                         and which larger profiles a placement would still leave room for
 */
record PlacementRequest(long offeringId, String code, SliceKind kind, String gpuModel, String vgpuType,
        int maxInstancesPerGpu, MigProfile migProfile, List<MigProfile> modelMigProfiles) {

    PlacementRequest {
        modelMigProfiles = List.copyOf(modelMigProfiles);
        if (kind == SliceKind.MIG && migProfile == null) {
            throw new IllegalArgumentException("MIG offering " + code + " has no profile geometry");
        }
    }
}
