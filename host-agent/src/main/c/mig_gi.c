/*
 * vgpusim MIG: GPU-instance profiles, placements and GPU instances (rules in mig.c). Profile info is answered only while
 * MIG is enabled, as nvml.h documents; possible placements "regardless of whether MIG is enabled".
 */
#include "mig.h"

/* ---------------------------------------------------------------- NVML: GPU instances ---------- */

EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceProfileInfoV(nvmlDevice_t device, unsigned int profile,
                                                         nvmlGpuInstanceProfileInfo_v2_t *info)
{
    MIG_ENTER(device);
    if (!info || profile >= PROFILE_COUNT)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (info->version != GI_V2_VERSION)
        NVML_LEAVE(NVML_ERROR_ARGUMENT_VERSION_MISMATCH);
    /* nvml.h: NOT_SUPPORTED "if device doesn't have MIG mode enabled or profile isn't supported". */
    if (!mig_enabled(device))
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    const mig_geometry *m = device->model->mig;
    for (int i = 0; i < m->count; i++) {
        const gi_profile *p = &m->profiles[i];
        if (p->index != profile)
            continue;
        memset(info, 0, sizeof *info);
        info->version = GI_V2_VERSION;
        info->id = p->id;
        info->sliceCount = p->slices;
        info->instanceCount = p->max;
        info->multiprocessorCount = p->sm;
        info->copyEngineCount = p->ce;
        info->decoderCount = p->dec;
        info->jpegCount = p->jpeg;
        info->ofaCount = p->ofa;
        info->memorySizeMB = p->mem_mb;
        snprintf(info->name, sizeof info->name, "%s", p->name);
        NVML_LEAVE(NVML_SUCCESS);
    }
    NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
}

/* All placements of the profile, whether or not MIG is enabled; placements NULL asks for the count. */
EXPORT nvmlReturn_t nvmlDeviceGetGpuInstancePossiblePlacements_v2(nvmlDevice_t device, unsigned int profileId,
                                                                  nvmlGpuInstancePlacement_t *placements,
                                                                  unsigned int *count)
{
    MIG_ENTER(device);
    const gi_profile *p = profile_by_id(device, profileId);
    if (!p || !count)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    unsigned n = (unsigned) __builtin_popcount(p->starts);
    if (!placements) {
        *count = n;
        NVML_LEAVE(NVML_SUCCESS);
    }
    if (*count < n) {
        *count = n;
        NVML_LEAVE(NVML_ERROR_INSUFFICIENT_SIZE);
    }
    unsigned k = 0;
    for (unsigned s = 0; s < 32; s++)
        if (p->starts & (1u << s))
            placements[k++] = (nvmlGpuInstancePlacement_t) { s, p->size };
    *count = n;
    NVML_LEAVE(NVML_SUCCESS);
}

/* Leftmost-first packing of equal-size ranges is optimal, so this is the true remaining count. */
EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceRemainingCapacity(nvmlDevice_t device, unsigned int profileId,
                                                              unsigned int *count)
{
    MIG_ENTER(device);
    const gi_profile *p = profile_by_id(device, profileId);
    if (!p || !count)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (!mig_enabled(device))
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    mig_state *s = mig_of(device);
    mig_state saved = *s;
    unsigned n = 0;
    for (unsigned start = 0; start < 32; start++) {
        if (fits(device, p, start) != NVML_SUCCESS)
            continue;
        for (int i = 0; i < MAX_GI; i++)
            if (!s->gis[i].used) {
                s->gis[i] = (gpu_instance) { .used = 1, .start = start, .p = p };
                break;
            }
        n++;
    }
    *s = saved;
    *count = n;
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceCreateGpuInstanceWithPlacement(nvmlDevice_t device, unsigned int profileId,
                                                             const nvmlGpuInstancePlacement_t *placement,
                                                             gpu_instance **gpuInstance)
{
    MIG_ENTER(device);
    const gi_profile *p = profile_by_id(device, profileId);
    if (!p || !placement || !gpuInstance || placement->size != p->size)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (!mig_enabled(device))
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    nvmlReturn_t r = fits(device, p, placement->start);
    if (r != NVML_SUCCESS)
        NVML_LEAVE(r);
    mig_state *s = mig_of(device);
    unsigned id = 1;
    for (int i = 0; i < MAX_GI; i++)
        if (s->gis[i].used && s->gis[i].id == id) {
            id++;
            i = -1;
        }
    for (int i = 0; i < MAX_GI; i++)
        if (!s->gis[i].used) {
            s->gis[i] = (gpu_instance) { .used = 1, .id = id, .start = placement->start, .p = p, .gpu = device };
            *gpuInstance = &s->gis[i];
            NVML_LEAVE(NVML_SUCCESS);
        }
    NVML_LEAVE(NVML_ERROR_INSUFFICIENT_RESOURCES);
}

/* The GPU instances of one profile; the buffer holds instanceCount handles, count is output only. */
EXPORT nvmlReturn_t nvmlDeviceGetGpuInstances(nvmlDevice_t device, unsigned int profileId, gpu_instance **gpuInstances,
                                              unsigned int *count)
{
    MIG_ENTER(device);
    const gi_profile *p = profile_by_id(device, profileId);
    if (!p || !gpuInstances || !count)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (!mig_enabled(device))
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    unsigned n = 0;
    for (int i = 0; i < MAX_GI; i++)
        if (mig_of(device)->gis[i].used && mig_of(device)->gis[i].p == p)
            gpuInstances[n++] = &mig_of(device)->gis[i];
    *count = n;
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceById(nvmlDevice_t device, unsigned int id, gpu_instance **gpuInstance)
{
    MIG_ENTER(device);
    if (!gpuInstance)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (!mig_enabled(device))
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    for (int i = 0; i < MAX_GI; i++)
        if (mig_of(device)->gis[i].used && mig_of(device)->gis[i].id == id) {
            *gpuInstance = &mig_of(device)->gis[i];
            NVML_LEAVE(NVML_SUCCESS);
        }
    NVML_LEAVE(NVML_ERROR_NOT_FOUND);
}


EXPORT nvmlReturn_t nvmlGpuInstanceGetInfo(gpu_instance *gpuInstance, nvmlGpuInstanceInfo_t *info)
{
    GI_ENTER(gpuInstance);
    if (!info)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *info = (nvmlGpuInstanceInfo_t) { gi->gpu, gi->id, gi->p->id, { gi->start, gi->p->size } };
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlGpuInstanceDestroy(gpu_instance *gpuInstance)
{
    GI_ENTER(gpuInstance);
    for (int c = 0; c < MAX_CI; c++)
        if (gi->cis[c].used)
            NVML_LEAVE(NVML_ERROR_IN_USE);
    memset(gi, 0, sizeof *gi);
    NVML_LEAVE(NVML_SUCCESS);
}

