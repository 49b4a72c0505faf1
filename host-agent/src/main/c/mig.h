/* vgpusim MIG internals shared by mig.c (profiles, state, mode), mig_gi.c (GPU instances) and mig_ci.c (compute
 * instances, MIG device handles). */
#ifndef VGPUSIM_MIG_H
#define VGPUSIM_MIG_H

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

#define GI_ENTER(h)                                                   \
    pthread_mutex_lock(&lock);                                        \
    gpu_instance *gi = nvml_refs ? valid_gi(h) : NULL;                \
    if (!gi) {                                                        \
        nvmlReturn_t e_ = nvml_refs ? NVML_ERROR_INVALID_ARGUMENT : NVML_ERROR_UNINITIALIZED; \
        pthread_mutex_unlock(&lock);                                  \
        return e_;                                                    \
    }


#define CI_ENTER(h)                                                   \
    pthread_mutex_lock(&lock);                                        \
    compute_instance *ci = nvml_refs ? valid_ci(h) : NULL;            \
    if (!ci) {                                                        \
        nvmlReturn_t e_ = nvml_refs ? NVML_ERROR_INVALID_ARGUMENT : NVML_ERROR_UNINITIALIZED; \
        pthread_mutex_unlock(&lock);                                  \
        return e_;                                                    \
    }


HIDDEN mig_state *mig_of(const sim_gpu *g);
HIDDEN compute_instance *ci_of_device(const void *h);
HIDDEN gpu_instance *valid_gi(const void *h);
HIDDEN compute_instance *valid_ci(const void *h);
HIDDEN const gi_profile *profile_by_id(const sim_gpu *g, unsigned id);
/* Whether a new instance of p fits at start: allowed start, free memory slices, compute slices, instance limit. */
HIDDEN nvmlReturn_t fits(const sim_gpu *g, const gi_profile *p, unsigned start);

#endif
