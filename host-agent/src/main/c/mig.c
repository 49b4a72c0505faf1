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
#include "mig.h"

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

static mig_state mig[MAX_GPUS];

mig_state *mig_of(const sim_gpu *g)
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
    mig_state *s = mig_of(g);
    memset(s->gis, 0, sizeof s->gis);
    s->current = s->pending;
}

void mig_driver_unbound(const sim_gpu *g)
{
    memset(mig_of(g)->gis, 0, sizeof mig_of(g)->gis);
}

void mig_driver_bound(const sim_gpu *g)
{
    mig_state *s = mig_of(g);
    memset(s->gis, 0, sizeof s->gis);
    s->current = s->pending;
    if (g->model->mig && g->model->mig->hopper)
        s->current = s->pending = 0;
}

int mig_enabled(const sim_gpu *g)
{
    return g->model->mig && mig_of(g)->current;
}

compute_instance *ci_of_device(const void *h)
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

const void *mig_device_by_uuid(const char *uuid)
{
    for (int g = 0; g < gpu_count; g++)
        for (int i = 0; i < MAX_GI; i++)
            for (int c = 0; c < MAX_CI; c++) {
                compute_instance *ci = &mig[g].gis[i].cis[c];
                if (mig[g].gis[i].used && ci->used && !strcmp(ci->uuid, uuid))
                    return &ci->mig_device;
            }
    return NULL;
}

gpu_instance *valid_gi(const void *h)
{
    for (int g = 0; h && g < gpu_count; g++)
        for (int i = 0; i < MAX_GI; i++)
            if (h == (const void *) &mig[g].gis[i] && mig[g].gis[i].used)
                return &mig[g].gis[i];
    return NULL;
}

compute_instance *valid_ci(const void *h)
{
    for (int g = 0; h && g < gpu_count; g++)
        for (int i = 0; i < MAX_GI; i++)
            for (int c = 0; c < MAX_CI; c++)
                if (h == (const void *) &mig[g].gis[i].cis[c] && mig[g].gis[i].used && mig[g].gis[i].cis[c].used)
                    return &mig[g].gis[i].cis[c];
    return NULL;
}

const gi_profile *profile_by_id(const sim_gpu *g, unsigned id)
{
    for (int i = 0; i < g->model->mig->count; i++)
        if (g->model->mig->profiles[i].id == id)
            return &g->model->mig->profiles[i];
    return NULL;
}

nvmlReturn_t fits(const sim_gpu *g, const gi_profile *p, unsigned start)
{
    if (start >= 32 || !(p->starts & (1u << start)))
        return NVML_ERROR_INVALID_ARGUMENT;
    const mig_state *s = mig_of(g);
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

EXPORT nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode, unsigned int *pendingMode)
{
    MIG_ENTER(device);
    if (!currentMode || !pendingMode)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *currentMode = mig_of(device)->current;
    *pendingMode = mig_of(device)->pending;
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlDeviceSetMigMode(nvmlDevice_t device, unsigned int mode, nvmlReturn_t *activationStatus)
{
    MIG_ENTER(device);
    if (mode > 1 || !activationStatus)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    mig_state *s = mig_of(device);
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

