/* vgpusim MIG: compute instances and MIG device handles (one MIG device per compute instance). */
#include "mig.h"

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
            compute_instance *ci = &mig_of(device)->gis[i].cis[c];
            if (mig_of(device)->gis[i].used && ci->used && n++ == index) {
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

