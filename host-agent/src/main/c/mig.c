/*
 * vgpusim MIG: the NVML MIG API (nvml.h l.12474-13470) for the simulated A100, H100 and A30 boards.
 *
 * Geometry and rules follow the reference (shared/reference/nvidia.md section 4): a GPU instance occupies
 * [start, start + size) memory slices at one of its profile's allowed starts, never overlapping another instance, and
 * the compute slices of all instances add up to at most the board's. A profile has at most instanceCount instances.
 *
 * Mode changes, as real NVML: refused with IN_USE while GPU instances exist. On Hopper a change applies at once; on
 * Ampere it stays pending (activationStatus NVML_SUCCESS) and becomes current at the next GPU reset, which in the
 * simulator is vgpusim_boot or vgpusim_reset_gpu. A reset also removes every GPU and compute instance.
 *
 * IDs: GPU instance IDs are the lowest free number from 1 per GPU, compute instance IDs the lowest free from 0 per
 * GPU instance (the simulator's own choice; real drivers derive GI IDs from the placement). State is in memory only.
 */
#include "vgpusim.h"

typedef struct {
    unsigned index;            /* NVML_GPU_INSTANCE_PROFILE_* */
    unsigned id;               /* profile ID, the "ID" column of nvidia-smi mig -lgip */
    const char *name;
    unsigned slices;           /* compute slices (sliceCount) */
    unsigned size;             /* memory slices (placement size) */
    unsigned starts;           /* bit s set: start s allowed */
    unsigned max;              /* instanceCount */
    unsigned sm, ce, dec, jpeg, ofa;
    unsigned long long mem_mb;
} gi_profile;

struct mig_geometry {
    unsigned compute_slices;
    int hopper;                /* mode changes apply without a reset */
    const gi_profile *profiles;
    int count;
};

#define PROFILE_COUNT 0x12     /* NVML_GPU_INSTANCE_PROFILE_COUNT */
#define CI_PROFILE_COUNT 0x9   /* NVML_COMPUTE_INSTANCE_PROFILE_COUNT */
#define GI_V2_VERSION 0x02000098u
#define CI_V2_VERSION 0x02000088u

/* Placements of A100/H100 from -lgipp: 1g {0..6}:1, 2x-mem 1g {0,2,4,6}:2, 2g {0,2,4}:2, 3g {0,4}:4, 4g {0}:4, 7g {0}:8. */
#define P7 0x7Fu
#define EVEN 0x55u
#define P2G 0x15u
#define P3G 0x11u

/* A100 SM and memory numbers from R5xx -lgip (reference 4.2); 80 GB memory from go-nvml's a100 mock. */
static const gi_profile A100_40GB[] = {
    { 0x0, 19, "MIG 1g.5gb", 1, 1, P7, 7, 14, 1, 0, 0, 0, 4864 },
    { 0x7, 20, "MIG 1g.5gb+me", 1, 1, P7, 1, 14, 1, 1, 1, 1, 4864 },
    { 0x9, 15, "MIG 1g.10gb", 1, 2, EVEN, 4, 14, 1, 1, 0, 0, 9856 },
    { 0x1, 14, "MIG 2g.10gb", 2, 2, P2G, 3, 28, 2, 1, 0, 0, 9856 },
    { 0x2, 9, "MIG 3g.20gb", 3, 4, P3G, 2, 42, 3, 2, 0, 0, 19968 },
    { 0x3, 5, "MIG 4g.20gb", 4, 4, 0x1, 1, 56, 4, 2, 0, 0, 19968 },
    { 0x4, 0, "MIG 7g.40gb", 7, 8, 0x1, 1, 98, 7, 5, 1, 1, 40192 },
};

static const gi_profile A100_80GB[] = {
    { 0x0, 19, "MIG 1g.10gb", 1, 1, P7, 7, 14, 1, 0, 0, 0, 9856 },
    { 0x7, 20, "MIG 1g.10gb+me", 1, 1, P7, 1, 14, 1, 1, 1, 1, 9856 },
    { 0x9, 15, "MIG 1g.20gb", 1, 2, EVEN, 4, 14, 1, 1, 0, 0, 19968 },
    { 0x1, 14, "MIG 2g.20gb", 2, 2, P2G, 3, 28, 2, 1, 0, 0, 19968 },
    { 0x2, 9, "MIG 3g.40gb", 3, 4, P3G, 2, 42, 3, 2, 0, 0, 40192 },
    { 0x3, 5, "MIG 4g.40gb", 4, 4, 0x1, 1, 56, 4, 2, 0, 0, 40192 },
    { 0x4, 0, "MIG 7g.80gb", 7, 8, 0x1, 1, 98, 7, 5, 1, 1, 80384 },
};

/* SM counts are those of the public H100 SXM5 -lgip in the reference; a PCIe board has fewer SMs in total. */
static const gi_profile H100_80GB[] = {
    { 0x0, 19, "MIG 1g.10gb", 1, 1, P7, 7, 16, 1, 1, 1, 0, 9984 },
    { 0x7, 20, "MIG 1g.10gb+me", 1, 1, P7, 1, 16, 1, 1, 1, 1, 9984 },
    { 0x9, 15, "MIG 1g.20gb", 1, 2, EVEN, 4, 26, 1, 1, 1, 0, 20096 },
    { 0x1, 14, "MIG 2g.20gb", 2, 2, P2G, 3, 32, 2, 2, 2, 0, 20096 },
    { 0x2, 9, "MIG 3g.40gb", 3, 4, P3G, 2, 60, 3, 3, 3, 0, 40448 },
    { 0x3, 5, "MIG 4g.40gb", 4, 4, 0x1, 1, 64, 4, 4, 4, 0, 40448 },
    { 0x4, 0, "MIG 7g.80gb", 7, 8, 0x1, 1, 132, 8, 7, 7, 1, 81152 },
};

/* A30: 4 compute and 4 memory slices; 1g {0..3}:1, 2g {0,2}:2, 4g {0}:4. */
static const gi_profile A30_24GB[] = {
    { 0x0, 14, "MIG 1g.6gb", 1, 1, 0xF, 4, 14, 1, 0, 0, 0, 5952 },
    { 0x7, 21, "MIG 1g.6gb+me", 1, 1, 0xF, 1, 14, 1, 1, 1, 1, 5952 },
    { 0x1, 5, "MIG 2g.12gb", 2, 2, 0x5, 2, 28, 2, 2, 0, 0, 11968 },
    { 0x8, 6, "MIG 2g.12gb+me", 2, 2, 0x5, 1, 28, 2, 2, 1, 1, 11968 },
    { 0x3, 0, "MIG 4g.24gb", 4, 4, 0x1, 1, 56, 4, 4, 1, 1, 24000 },
};

#define GEOMETRY(p, slices, hopper) { slices, hopper, p, (int) (sizeof p / sizeof p[0]) }
const mig_geometry MIG_A100_40GB = GEOMETRY(A100_40GB, 7, 0);
const mig_geometry MIG_A100_80GB = GEOMETRY(A100_80GB, 7, 0);
const mig_geometry MIG_H100_80GB = GEOMETRY(H100_80GB, 7, 1);
const mig_geometry MIG_A30 = GEOMETRY(A30_24GB, 4, 0);

/* ---------------------------------------------------------------- state ------------------------ */

#define MAX_GI 8
#define MAX_CI 8

typedef struct compute_instance {
    int used;
    unsigned id, profile_id, slices, start;
    struct gpu_instance *gi;
    char mig_device;          /* its address is the MIG device handle (an nvmlDevice_t) */
    char uuid[48];
} compute_instance;

typedef struct gpu_instance {
    int used;
    unsigned id, start;
    const gi_profile *p;
    sim_gpu *gpu;
    compute_instance cis[MAX_CI];
} gpu_instance;

typedef struct {
    unsigned current, pending;
    gpu_instance gis[MAX_GI];
} mig_state;

static mig_state mig[MAX_GPUS];

static mig_state *state(const sim_gpu *g)
{
    return &mig[g->index];
}

void mig_configure(void)
{
    memset(mig, 0, sizeof mig);
    for (int i = 0; i < gpu_count; i++)
        mig[i].current = mig[i].pending = gpus[i].mig_on == 1;
}

void mig_reset(const sim_gpu *g)
{
    mig_state *s = state(g);
    memset(s->gis, 0, sizeof s->gis);
    s->current = s->pending;
}

int mig_enabled(const sim_gpu *g)
{
    return g->model->mig && state(g)->current;
}

static compute_instance *ci_of_device(const void *h)
{
    for (int g = 0; h && g < gpu_count; g++)
        for (int i = 0; i < MAX_GI; i++)
            for (int c = 0; c < MAX_CI; c++) {
                compute_instance *ci = &mig[g].gis[i].cis[c];
                if (mig[g].gis[i].used && ci->used && h == (const void *) &ci->mig_device)
                    return ci;
            }
    return NULL;
}

const char *mig_device_uuid(const void *h)
{
    compute_instance *ci = ci_of_device(h);
    return ci ? ci->uuid : NULL;
}

static gpu_instance *valid_gi(const void *h)
{
    for (int g = 0; h && g < gpu_count; g++)
        for (int i = 0; i < MAX_GI; i++)
            if (h == (const void *) &mig[g].gis[i] && mig[g].gis[i].used)
                return &mig[g].gis[i];
    return NULL;
}

static compute_instance *valid_ci(const void *h)
{
    for (int g = 0; h && g < gpu_count; g++)
        for (int i = 0; i < MAX_GI; i++)
            for (int c = 0; c < MAX_CI; c++)
                if (h == (const void *) &mig[g].gis[i].cis[c] && mig[g].gis[i].used && mig[g].gis[i].cis[c].used)
                    return &mig[g].gis[i].cis[c];
    return NULL;
}

static const gi_profile *profile_by_id(const sim_gpu *g, unsigned id)
{
    for (int i = 0; i < g->model->mig->count; i++)
        if (g->model->mig->profiles[i].id == id)
            return &g->model->mig->profiles[i];
    return NULL;
}

/* Whether a new instance of p fits at start: allowed start, free memory slices, compute slices, instance limit. */
static nvmlReturn_t fits(const sim_gpu *g, const gi_profile *p, unsigned start)
{
    if (start >= 32 || !(p->starts & (1u << start)))
        return NVML_ERROR_INVALID_ARGUMENT;
    const mig_state *s = state(g);
    unsigned same = 0, slices = p->slices;
    for (int i = 0; i < MAX_GI; i++) {
        const gpu_instance *gi = &s->gis[i];
        if (!gi->used)
            continue;
        same += gi->p == p;
        slices += gi->p->slices;
        if (start < gi->start + gi->p->size && gi->start < start + p->size)
            return NVML_ERROR_INSUFFICIENT_RESOURCES;
    }
    if (same >= p->max || slices > g->model->mig->compute_slices)
        return NVML_ERROR_INSUFFICIENT_RESOURCES;
    return NVML_SUCCESS;
}

/* ---------------------------------------------------------------- NVML: mode ------------------- */

typedef struct { unsigned int start, size; } nvmlGpuInstancePlacement_t;

typedef struct {
    unsigned int version, id, isP2pSupported, sliceCount, instanceCount, multiprocessorCount, copyEngineCount,
        decoderCount, encoderCount, jpegCount, ofaCount;
    unsigned long long memorySizeMB;
    char name[96];
} nvmlGpuInstanceProfileInfo_v2_t;
_Static_assert(sizeof(nvmlGpuInstanceProfileInfo_v2_t) == 152, "must match nvml.h");

typedef struct {
    nvmlDevice_t device;
    unsigned int id, profileId;
    nvmlGpuInstancePlacement_t placement;
} nvmlGpuInstanceInfo_t;
_Static_assert(sizeof(nvmlGpuInstanceInfo_t) == 24, "must match nvml.h");

typedef struct {
    unsigned int version, id, sliceCount, instanceCount, multiprocessorCount, sharedCopyEngineCount,
        sharedDecoderCount, sharedEncoderCount, sharedJpegCount, sharedOfaCount;
    char name[96];
} nvmlComputeInstanceProfileInfo_v2_t;
_Static_assert(sizeof(nvmlComputeInstanceProfileInfo_v2_t) == 136, "must match nvml.h");

typedef struct {
    nvmlDevice_t device;
    gpu_instance *gpuInstance;
    unsigned int id, profileId;
    struct { unsigned int start, size; } placement;
} nvmlComputeInstanceInfo_t;
_Static_assert(sizeof(nvmlComputeInstanceInfo_t) == 32, "must match nvml.h");

#define MIG_ENTER(dev)                                           \
    NVML_ENTER(dev);                                             \
    if (!(dev)->model->mig) NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);

EXPORT nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode, unsigned int *pendingMode)
{
    MIG_ENTER(device);
    if (!currentMode || !pendingMode)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *currentMode = state(device)->current;
    *pendingMode = state(device)->pending;
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceSetMigMode(nvmlDevice_t device, unsigned int mode, nvmlReturn_t *activationStatus)
{
    MIG_ENTER(device);
    if (mode > 1 || !activationStatus)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    mig_state *s = state(device);
    for (int i = 0; i < MAX_GI; i++)
        if (s->gis[i].used)
            NVML_LEAVE(NVML_ERROR_IN_USE);
    s->pending = mode;
    if (device->model->mig->hopper)
        s->current = mode;
    *activationStatus = NVML_SUCCESS;
    NVML_LEAVE(NVML_SUCCESS);
}

/* A simulated GPU reset (nvidia-smi -r): the pending MIG mode becomes current, instances are gone. */
EXPORT int vgpusim_reset_gpu(const char *pci)
{
    pthread_mutex_lock(&lock);
    int rc = -1;
    for (int i = 0; pci && i < gpu_count; i++)
        if (!strcmp(gpus[i].pci, pci)) {
            mig_reset(&gpus[i]);
            rc = 0;
        }
    pthread_mutex_unlock(&lock);
    return rc;
}

/* ---------------------------------------------------------------- NVML: GPU instances ---------- */

EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceProfileInfoV(nvmlDevice_t device, unsigned int profile,
                                                         nvmlGpuInstanceProfileInfo_v2_t *info)
{
    MIG_ENTER(device);
    if (!info || profile >= PROFILE_COUNT)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (info->version != GI_V2_VERSION)
        NVML_LEAVE(NVML_ERROR_ARGUMENT_VERSION_MISMATCH);
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
    mig_state *s = state(device);
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
    mig_state *s = state(device);
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
        if (state(device)->gis[i].used && state(device)->gis[i].p == p)
            gpuInstances[n++] = &state(device)->gis[i];
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
        if (state(device)->gis[i].used && state(device)->gis[i].id == id) {
            *gpuInstance = &state(device)->gis[i];
            NVML_LEAVE(NVML_SUCCESS);
        }
    NVML_LEAVE(NVML_ERROR_NOT_FOUND);
}

#define GI_ENTER(h)                                                   \
    pthread_mutex_lock(&lock);                                        \
    gpu_instance *gi = nvml_refs ? valid_gi(h) : NULL;                \
    if (!gi) {                                                        \
        nvmlReturn_t e_ = nvml_refs ? NVML_ERROR_INVALID_ARGUMENT : NVML_ERROR_UNINITIALIZED; \
        pthread_mutex_unlock(&lock);                                  \
        return e_;                                                    \
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

/* ---------------------------------------------------------------- NVML: compute instances ------ */

/* CI profile index n is an n-slice profile for these indices (NVML_COMPUTE_INSTANCE_PROFILE_1_SLICE ... _7_SLICE). */
static unsigned ci_slices(unsigned profile)
{
    static const unsigned SLICES[] = { 1, 2, 3, 4, 7 };
    return profile < 5 ? SLICES[profile] : 0;
}

EXPORT nvmlReturn_t nvmlGpuInstanceGetComputeInstanceProfileInfoV(gpu_instance *gpuInstance, unsigned int profile,
                                                                  unsigned int engProfile,
                                                                  nvmlComputeInstanceProfileInfo_v2_t *info)
{
    GI_ENTER(gpuInstance);
    if (!info || profile >= CI_PROFILE_COUNT || engProfile != 0)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (info->version != CI_V2_VERSION)
        NVML_LEAVE(NVML_ERROR_ARGUMENT_VERSION_MISMATCH);
    unsigned c = ci_slices(profile);
    if (c == 0 || c > gi->p->slices)
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    memset(info, 0, sizeof *info);
    info->version = CI_V2_VERSION;
    info->id = profile;
    info->sliceCount = c;
    info->instanceCount = gi->p->slices / c;
    info->multiprocessorCount = gi->p->sm / gi->p->slices * c;
    info->sharedCopyEngineCount = gi->p->ce;
    info->sharedDecoderCount = gi->p->dec;
    info->sharedJpegCount = gi->p->jpeg;
    info->sharedOfaCount = gi->p->ofa;
    if (c == gi->p->slices)
        snprintf(info->name, sizeof info->name, "%s", gi->p->name);
    else
        snprintf(info->name, sizeof info->name, "MIG %uc.%s", c, gi->p->name + 4);
    NVML_LEAVE(NVML_SUCCESS);
}

static void mig_uuid(const compute_instance *ci, const char *gpu_uuid, char *out, size_t len)
{
    unsigned long long h1 = 1469598103934665603ULL, h2 = 1099511628211ULL * 7;
    char seed[128];
    snprintf(seed, sizeof seed, "%s/%u/%u", gpu_uuid, ci->gi->id, ci->id);
    for (const char *c = seed; *c; c++) {
        h1 = (h1 ^ (unsigned char) *c) * 1099511628211ULL;
        h2 = (h2 ^ (unsigned char) *c) * 1099511628211ULL + 0x9E3779B97F4A7C15ULL;
    }
    snprintf(out, len, "MIG-%08llx-%04llx-%04llx-%04llx-%012llx", h1 >> 32, (h1 >> 16) & 0xffff, h1 & 0xffff,
             h2 >> 48, h2 & 0xffffffffffffULL);
}

/* First fit over the GPU instance's compute slices, within the profile's instance limit. */
EXPORT nvmlReturn_t nvmlGpuInstanceCreateComputeInstance(gpu_instance *gpuInstance, unsigned int profileId,
                                                         compute_instance **computeInstance)
{
    GI_ENTER(gpuInstance);
    unsigned c = ci_slices(profileId);
    if (!computeInstance || c == 0 || c > gi->p->slices)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    unsigned used = 0, same = 0, id = 0;
    for (int i = 0; i < MAX_CI; i++)
        if (gi->cis[i].used) {
            used |= ((1u << gi->cis[i].slices) - 1) << gi->cis[i].start;
            same += gi->cis[i].profile_id == profileId;
        }
    for (int i = 0; i < MAX_CI; i++)
        if (gi->cis[i].used && gi->cis[i].id == id) {
            id++;
            i = -1;
        }
    if (same >= gi->p->slices / c)
        NVML_LEAVE(NVML_ERROR_INSUFFICIENT_RESOURCES);
    unsigned mask = (1u << c) - 1;
    for (unsigned start = 0; start + c <= gi->p->slices; start++) {
        if (used & (mask << start))
            continue;
        for (int i = 0; i < MAX_CI; i++)
            if (!gi->cis[i].used) {
                compute_instance *ci = &gi->cis[i];
                *ci = (compute_instance) { .used = 1, .id = id, .profile_id = profileId, .slices = c, .start = start, .gi = gi };
                mig_uuid(ci, gi->gpu->uuid, ci->uuid, sizeof ci->uuid);
                *computeInstance = ci;
                NVML_LEAVE(NVML_SUCCESS);
            }
    }
    NVML_LEAVE(NVML_ERROR_INSUFFICIENT_RESOURCES);
}

/* The compute instances of one CI profile; count is output only. */
EXPORT nvmlReturn_t nvmlGpuInstanceGetComputeInstances(gpu_instance *gpuInstance, unsigned int profileId,
                                                       compute_instance **computeInstances, unsigned int *count)
{
    GI_ENTER(gpuInstance);
    if (!computeInstances || !count || ci_slices(profileId) == 0)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    unsigned n = 0;
    for (int i = 0; i < MAX_CI; i++)
        if (gi->cis[i].used && gi->cis[i].profile_id == profileId)
            computeInstances[n++] = &gi->cis[i];
    *count = n;
    NVML_LEAVE(NVML_SUCCESS);
}

#define CI_ENTER(h)                                                   \
    pthread_mutex_lock(&lock);                                        \
    compute_instance *ci = nvml_refs ? valid_ci(h) : NULL;            \
    if (!ci) {                                                        \
        nvmlReturn_t e_ = nvml_refs ? NVML_ERROR_INVALID_ARGUMENT : NVML_ERROR_UNINITIALIZED; \
        pthread_mutex_unlock(&lock);                                  \
        return e_;                                                    \
    }

EXPORT nvmlReturn_t nvmlComputeInstanceGetInfo_v2(compute_instance *computeInstance, nvmlComputeInstanceInfo_t *info)
{
    CI_ENTER(computeInstance);
    if (!info)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *info = (nvmlComputeInstanceInfo_t) { ci->gi->gpu, ci->gi, ci->id, ci->profile_id, { ci->start, ci->slices } };
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlComputeInstanceDestroy(compute_instance *computeInstance)
{
    CI_ENTER(computeInstance);
    memset(ci, 0, sizeof *ci);
    NVML_LEAVE(NVML_SUCCESS);
}

/* ---------------------------------------------------------------- NVML: MIG device handles ---- */

/* Each compute instance is one MIG device; its handle is an nvmlDevice_t of its own. */
EXPORT nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device, unsigned int *count)
{
    NVML_ENTER(device);
    if (!count)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *count = device->model->mig ? device->model->mig->compute_slices : 0;
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device, unsigned int index, void **migDevice)
{
    MIG_ENTER(device);
    if (!migDevice || index >= device->model->mig->compute_slices)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (!mig_enabled(device))
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    unsigned n = 0;
    for (int i = 0; i < MAX_GI; i++)
        for (int c = 0; c < MAX_CI; c++) {
            compute_instance *ci = &state(device)->gis[i].cis[c];
            if (state(device)->gis[i].used && ci->used && n++ == index) {
                *migDevice = &ci->mig_device;
                NVML_LEAVE(NVML_SUCCESS);
            }
        }
    NVML_LEAVE(NVML_ERROR_NOT_FOUND);
}

EXPORT nvmlReturn_t nvmlDeviceIsMigDeviceHandle(void *device, unsigned int *isMigDevice)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED : !isMigDevice ? NVML_ERROR_INVALID_ARGUMENT : NVML_SUCCESS;
    if (r == NVML_SUCCESS) {
        int mig_handle = ci_of_device(device) != NULL;
        if (!mig_handle && !valid_device(device))
            r = NVML_ERROR_INVALID_ARGUMENT;
        else
            *isMigDevice = (unsigned) mig_handle;
    }
    NVML_LEAVE(r);
}

/* Answers for MIG device handles only; a physical GPU handle is NOT_SUPPORTED, anything else INVALID_ARGUMENT. */
static nvmlReturn_t mig_device_lookup(void *device, compute_instance **out)
{
    if (nvml_refs == 0)
        return NVML_ERROR_UNINITIALIZED;
    *out = ci_of_device(device);
    return *out ? NVML_SUCCESS : valid_device(device) ? NVML_ERROR_NOT_SUPPORTED : NVML_ERROR_INVALID_ARGUMENT;
}

EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceId(void *device, unsigned int *id)
{
    pthread_mutex_lock(&lock);
    compute_instance *ci = NULL;
    nvmlReturn_t r = id ? mig_device_lookup(device, &ci) : NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS)
        *id = ci->gi->id;
    NVML_LEAVE(r);
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeInstanceId(void *device, unsigned int *id)
{
    pthread_mutex_lock(&lock);
    compute_instance *ci = NULL;
    nvmlReturn_t r = id ? mig_device_lookup(device, &ci) : NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS)
        *id = ci->id;
    NVML_LEAVE(r);
}

EXPORT nvmlReturn_t nvmlDeviceGetDeviceHandleFromMigDeviceHandle(void *migDevice, nvmlDevice_t *device)
{
    pthread_mutex_lock(&lock);
    compute_instance *ci = NULL;
    nvmlReturn_t r = device ? mig_device_lookup(migDevice, &ci) : NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS)
        *device = ci->gi->gpu;
    NVML_LEAVE(r);
}
