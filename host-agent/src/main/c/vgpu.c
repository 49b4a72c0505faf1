/*
 * vgpusim: the vGPU part of the NVML ABI. Type queries come from the model's type table (type id = the mdev
 * "nvidia-<id>" number); every mdev in the simulated tree is an active vGPU instance of its type on its GPU.
 *
 * The instance table is kept from two sides: the simulated kernel reports each create/remove (vgpu_created,
 * vgpu_removed), and every query first syncs the table with the tree (bus/mdev/devices), so mdevs that outlive a
 * process or a re-configure are adopted and instances of a previous tree are dropped.
 *
 * Simulated guest (each instance runs one VM with the guest driver loaded):
 *  - license: UNLICENSED_UNRESTRICTED for the first LICENSE_DELAY_S seconds after creation (the guest is
 *    acquiring its license), then LICENSED with a VALID expiry LICENSE_DAYS days after the moment it was licensed;
 *  - framebuffer in use: a guest base plus a slow wave, always between 10% and 75% of the type's framebuffer;
 *  - utilization: one sample per instance per second (timestamps in CPU microseconds), the first at creation;
 *  - processes: one vgpu-mgr process per instance on its GPU (nvmlDeviceGetProcessUtilization, end of file).
 * Figures are deterministic functions of wall-clock time and the instance id.
 */
#include "vgpusim.h"

#define MAX_VGPUS 512
#define FIRST_INSTANCE_ID 3251634176u   /* the order of the "vGPU ID"s nvidia-smi shows */
#define LICENSE_DELAY_S 2.0
#define LICENSE_DAYS 90
#define SAMPLE_PERIOD_US 1000000ULL

typedef struct {
    unsigned id;                   /* nvmlVgpuInstance_t; 0: free slot */
    const sim_gpu *gpu;
    const vgpu_type *type;
    char mdev[UUID_LEN + 1];
    char parent[16];
    double created;                /* CLOCK_REALTIME seconds */
} vgpu_instance;

static vgpu_instance instances[MAX_VGPUS];
static unsigned next_id = FIRST_INSTANCE_ID;

typedef struct { unsigned int year; unsigned short month, day, hour, min, sec; unsigned char status; } nvmlVgpuLicenseExpiry_t;
typedef struct { unsigned char isLicensed; nvmlVgpuLicenseExpiry_t licenseExpiry; unsigned int currentState; } nvmlVgpuLicenseInfo_t;
typedef union { double dVal; int siVal; unsigned int uiVal; unsigned long ulVal; unsigned long long ullVal;
                signed long long sllVal; unsigned short usVal; } nvmlValue_t;
typedef struct {
    unsigned int vgpuInstance;
    unsigned long long timeStamp;
    nvmlValue_t smUtil, memUtil, encUtil, decUtil;
} nvmlVgpuInstanceUtilizationSample_t;
_Static_assert(sizeof(nvmlVgpuLicenseExpiry_t) == 16, "nvmlVgpuLicenseExpiry_t must match nvml.h");
_Static_assert(sizeof(nvmlVgpuLicenseInfo_t) == 24, "nvmlVgpuLicenseInfo_t must match nvml.h");
_Static_assert(sizeof(nvmlVgpuInstanceUtilizationSample_t) == 48, "nvmlVgpuInstanceUtilizationSample_t must match nvml.h");

enum { NVML_VALUE_TYPE_UNSIGNED_INT = 1 };
enum { NVML_GRID_LICENSE_EXPIRY_NOT_AVAILABLE = 0, NVML_GRID_LICENSE_EXPIRY_VALID = 2 };
enum { NVML_GRID_LICENSE_STATE_UNLICENSED_UNRESTRICTED = 2, NVML_GRID_LICENSE_STATE_LICENSED = 5 };

/* nvmlVgpuTypeGetLicense strings by series (reference §5.2, from the open kernel modules' ctrl2080gpu.h). */
static const char *const LICENSE_VWS = "Quadro-Virtual-DWS,5.0;GRID-Virtual-WS,2.0;GRID-Virtual-WS-Ext,2.0";
static const char *const LICENSE_VPC = "GRID-Virtual-PC,2.0;Quadro-Virtual-DWS,5.0;GRID-Virtual-WS,2.0;GRID-Virtual-WS-Ext,2.0";
static const char *const LICENSE_VAPPS = "GRID-Virtual-Apps,3.0";
static const char *const LICENSE_VCS = "NVIDIA-vComputeServer,9.0;Quadro-Virtual-DWS,5.0";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static char series(const vgpu_type *t)
{
    return t->suffix[strlen(t->suffix) - 1];
}

/* ---------------------------------------------------------------- instance table --------------- */

static vgpu_instance *by_mdev(const char *mdev)
{
    for (int i = 0; i < MAX_VGPUS; i++)
        if (instances[i].id && !strcmp(instances[i].mdev, mdev))
            return &instances[i];
    return NULL;
}

static void add(const sim_gpu *g, const vgpu_type *t, const char *parent, const char *mdev, double created)
{
    for (int i = 0; i < MAX_VGPUS; i++)
        if (!instances[i].id) {
            vgpu_instance *v = &instances[i];
            v->id = next_id++;
            v->gpu = g;
            v->type = t;
            v->created = created;
            snprintf(v->mdev, sizeof v->mdev, "%s", mdev);
            snprintf(v->parent, sizeof v->parent, "%s", parent);
            return;
        }
}

void vgpu_created(const sim_gpu *g, const vgpu_type *t, const char *parent, const char *mdev)
{
    vgpu_instance *v = by_mdev(mdev);
    if (v)
        memset(v, 0, sizeof *v);
    add(g, t, parent, mdev, now_s());
}

void vgpu_removed(const char *mdev)
{
    vgpu_instance *v = by_mdev(mdev);
    if (v)
        memset(v, 0, sizeof *v);
}

/* Reads an mdev's parent and type from the tree: <root>/bus/mdev/devices/<uuid> -> ../../pci/devices/<parent>/<uuid>. */
static int read_mdev(const char *mdev, char *parent, size_t parent_len, const sim_gpu **g, const vgpu_type **t)
{
    char p[PATH_MAX], target[PATH_MAX];
    PATHF(p, "%s/bus/mdev/devices/%s", sysfs_root, mdev);
    ssize_t n = readlink(p, target, sizeof target - 1);
    if (n < 0)
        return -1;
    target[n] = 0;
    char *slash = strrchr(target, '/');
    if (!slash)
        return -1;
    *slash = 0;
    const char *dev = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    if (strlen(dev) >= parent_len)
        return -1;
    snprintf(parent, parent_len, "%s", dev);
    int index;
    *g = gpu_for_address(parent, &index);
    if (!*g)
        return -1;
    PATHF(p, "%s/bus/pci/devices/%s/%s/mdev_type", sysfs_root, parent, mdev);
    n = readlink(p, target, sizeof target - 1);
    if (n < 0)
        return -1;
    target[n] = 0;
    const char *dir = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    *t = type_by_dir((*g)->model, dir);
    return *t ? 0 : -1;
}

/* Makes the table match the tree. Lock held. */
static void sync_instances(void)
{
    char p[PATH_MAX], parent[16];
    struct stat st;
    for (int i = 0; i < MAX_VGPUS; i++) {
        if (!instances[i].id)
            continue;
        int index;
        PATHF(p, "%s/bus/pci/devices/%s/%s", sysfs_root, instances[i].parent, instances[i].mdev);
        /* gone from the tree, or the host file now puts another GPU at that address */
        if (lstat(p, &st) < 0 || gpu_for_address(instances[i].parent, &index) != instances[i].gpu)
            memset(&instances[i], 0, sizeof instances[i]);
    }
    PATHF(p, "%s/bus/mdev/devices", sysfs_root);
    DIR *d = opendir(p);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const sim_gpu *g;
        const vgpu_type *t;
        if (e->d_name[0] == '.' || strlen(e->d_name) != UUID_LEN || by_mdev(e->d_name))
            continue;
        if (read_mdev(e->d_name, parent, sizeof parent, &g, &t) == 0)
            add(g, t, parent, e->d_name, now_s());
    }
    closedir(d);
}

static vgpu_instance *instance(unsigned id)
{
    if (id == 0)
        return NULL;
    sync_instances();
    for (int i = 0; i < MAX_VGPUS; i++)
        if (instances[i].id == id)
            return &instances[i];
    return NULL;
}

/* Type lookup across the configured GPUs' models (type ids are unique in the simulator's table). */
static const vgpu_type *type_by_nvml_id(unsigned id)
{
    for (int i = 0; i < gpu_count; i++)
        for (int t = 0; t < gpus[i].model->type_count; t++)
            if ((unsigned) gpus[i].model->types[t].id == id)
                return &gpus[i].model->types[t];
    return NULL;
}

static const sim_gpu *gpu_of_type(const vgpu_type *t)
{
    for (int i = 0; i < gpu_count; i++)
        if (t >= gpus[i].model->types && t < gpus[i].model->types + gpus[i].model->type_count)
            return &gpus[i];
    return NULL;
}

/* ---------------------------------------------------------------- entry points ----------------- */

#define VGPU_ENTER()                                                  \
    pthread_mutex_lock(&lock);                                        \
    if (nvml_refs == 0) { pthread_mutex_unlock(&lock); return NVML_ERROR_UNINITIALIZED; }

/* The size-query protocol: *count too small (0 to ask) answers INSUFFICIENT_SIZE with the count needed. */
static nvmlReturn_t fill_ids(unsigned *count, unsigned *ids, const unsigned *values, unsigned n)
{
    if (*count < n) {
        *count = n;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    *count = n;
    if (n > 0 && !ids)
        return NVML_ERROR_INVALID_ARGUMENT;
    for (unsigned i = 0; i < n; i++)
        ids[i] = values[i];
    return NVML_SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetSupportedVgpus(nvmlDevice_t device, unsigned int *vgpuCount, unsigned int *vgpuTypeIds)
{
    NVML_ENTER(device);
    if (!vgpuCount)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    unsigned ids[64], n = 0;
    for (int t = 0; t < device->model->type_count && n < 64; t++)
        ids[n++] = (unsigned) device->model->types[t].id;
    NVML_LEAVE(fill_ids(vgpuCount, vgpuTypeIds, ids, n));
}

/*
 * The types the kernel would let one more mdev of be created: available_instances > 0 on some mdev parent (an
 * enabled VF without a vGPU on SR-IOV boards). In equal-size mode that leaves only the size already in use.
 */
EXPORT nvmlReturn_t nvmlDeviceGetCreatableVgpus(nvmlDevice_t device, unsigned int *vgpuCount, unsigned int *vgpuTypeIds)
{
    NVML_ENTER(device);
    if (!vgpuCount)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    gpu_usage u;
    scan_gpu(device, &u);
    int parents = device->model->type_count == 0 ? 0 : device->model->sriov ? current_numvfs(device) : 1;
    unsigned ids[64], n = 0;
    for (int t = 0; t < device->model->type_count && n < 64; t++) {
        const vgpu_type *vt = &device->model->types[t];
        int creatable = 0;
        for (int p = 0; p < parents && p < 64 && !creatable; p++)
            creatable = available(device, &u, p, vt) > 0;
        if (creatable)
            ids[n++] = (unsigned) vt->id;
    }
    NVML_LEAVE(fill_ids(vgpuCount, vgpuTypeIds, ids, n));
}

/* Name and class take the buffer size by pointer: in, the buffer's size; out, the length needed with the NUL. */
static nvmlReturn_t copy_sized(char *dst, unsigned *size, const char *src)
{
    if (!size)
        return NVML_ERROR_INVALID_ARGUMENT;
    unsigned needed = (unsigned) strlen(src) + 1;
    if (*size < needed) {
        *size = needed;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    *size = needed;
    return copy_string(dst, needed, src);
}

EXPORT nvmlReturn_t nvmlVgpuTypeGetName(unsigned int vgpuTypeId, char *vgpuTypeName, unsigned int *size)
{
    VGPU_ENTER();
    const vgpu_type *t = type_by_nvml_id(vgpuTypeId);
    const sim_gpu *g = t ? gpu_of_type(t) : NULL;
    if (!t || !g)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    char name[96];
    snprintf(name, sizeof name, "%s-%s", g->model->name, t->suffix);   /* as the mdev type's "name" file */
    NVML_LEAVE(copy_sized(vgpuTypeName, size, name));
}

EXPORT nvmlReturn_t nvmlVgpuTypeGetClass(unsigned int vgpuTypeId, char *vgpuTypeClass, unsigned int *size)
{
    VGPU_ENTER();
    const vgpu_type *t = type_by_nvml_id(vgpuTypeId);
    if (!t)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    char s = series(t);
    NVML_LEAVE(copy_sized(vgpuTypeClass, size, s == 'Q' ? "Quadro" : s == 'C' ? "Compute" : "NVS"));
}

EXPORT nvmlReturn_t nvmlVgpuTypeGetFramebufferSize(unsigned int vgpuTypeId, unsigned long long *fbSize)
{
    VGPU_ENTER();
    const vgpu_type *t = type_by_nvml_id(vgpuTypeId);
    if (!t || !fbSize)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *fbSize = (unsigned long long) t->fb_gib << 30;
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlVgpuTypeGetMaxInstances(nvmlDevice_t device, unsigned int vgpuTypeId, unsigned int *vgpuInstanceCount)
{
    NVML_ENTER(device);
    const vgpu_type *t = NULL;
    for (int i = 0; i < device->model->type_count; i++)
        if ((unsigned) device->model->types[i].id == vgpuTypeId)
            t = &device->model->types[i];
    if (!t || !vgpuInstanceCount)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *vgpuInstanceCount = (unsigned) t->max_instances;
    NVML_LEAVE(NVML_SUCCESS);
}

/* Size by value, as in nvml.h. */
EXPORT nvmlReturn_t nvmlVgpuTypeGetLicense(unsigned int vgpuTypeId, char *vgpuTypeLicenseString, unsigned int size)
{
    VGPU_ENTER();
    const vgpu_type *t = type_by_nvml_id(vgpuTypeId);
    if (!t)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    char s = series(t);
    const char *license = s == 'Q' ? LICENSE_VWS : s == 'B' ? LICENSE_VPC : s == 'A' ? LICENSE_VAPPS : LICENSE_VCS;
    NVML_LEAVE(copy_string(vgpuTypeLicenseString, size, license));
}

EXPORT nvmlReturn_t nvmlDeviceGetActiveVgpus(nvmlDevice_t device, unsigned int *vgpuCount, unsigned int *vgpuInstances)
{
    NVML_ENTER(device);
    if (!vgpuCount)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    sync_instances();
    unsigned ids[MAX_VGPUS], n = 0;
    for (int i = 0; i < MAX_VGPUS; i++)
        if (instances[i].id && instances[i].gpu == device)
            ids[n++] = instances[i].id;
    NVML_LEAVE(fill_ids(vgpuCount, vgpuInstances, ids, n));
}

/* The vGPU's own UUID: the mdev UUID with its first group turned around, so the two never coincide. */
EXPORT nvmlReturn_t nvmlVgpuInstanceGetUUID(unsigned int vgpuInstance, char *uuid, unsigned int size)
{
    VGPU_ENTER();
    vgpu_instance *v = instance(vgpuInstance);
    if (!v)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    char text[UUID_LEN + 1];
    snprintf(text, sizeof text, "%s", v->mdev);
    for (int i = 0; i < 4; i++) {
        char c = text[i];
        text[i] = text[7 - i];
        text[7 - i] = c;
    }
    NVML_LEAVE(copy_string(uuid, size, text));
}

EXPORT nvmlReturn_t nvmlVgpuInstanceGetMdevUUID(unsigned int vgpuInstance, char *mdevUuid, unsigned int size)
{
    VGPU_ENTER();
    vgpu_instance *v = instance(vgpuInstance);
    if (!v)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    NVML_LEAVE(copy_string(mdevUuid, size, v->mdev));
}

EXPORT nvmlReturn_t nvmlVgpuInstanceGetType(unsigned int vgpuInstance, unsigned int *vgpuTypeId)
{
    VGPU_ENTER();
    vgpu_instance *v = instance(vgpuInstance);
    if (!v || !vgpuTypeId)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *vgpuTypeId = (unsigned) v->type->id;
    NVML_LEAVE(NVML_SUCCESS);
}

/* Bytes in use by the guest: 10% to 75% of the type's framebuffer, whole MiB, new each second, a 2-minute wave. */
EXPORT nvmlReturn_t nvmlVgpuInstanceGetFbUsage(unsigned int vgpuInstance, unsigned long long *fbUsage)
{
    VGPU_ENTER();
    vgpu_instance *v = instance(vgpuInstance);
    if (!v || !fbUsage)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    double fb_mib = v->type->fb_gib * 1024.0;
    double second = floor(now_s());                /* the driver refreshes the figure once a second */
    double wave = 0.5 + 0.5 * sin(2 * M_PI * second / 120.0 + (v->id % 97) * 0.61);
    *fbUsage = (unsigned long long) (fb_mib * (0.10 + 0.65 * wave)) << 20;
    NVML_LEAVE(NVML_SUCCESS);
}

EXPORT nvmlReturn_t nvmlVgpuInstanceGetLicenseInfo_v2(unsigned int vgpuInstance, nvmlVgpuLicenseInfo_t *licenseInfo)
{
    VGPU_ENTER();
    vgpu_instance *v = instance(vgpuInstance);
    if (!v || !licenseInfo)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    memset(licenseInfo, 0, sizeof *licenseInfo);
    double licensed_at = v->created + LICENSE_DELAY_S;
    if (now_s() < licensed_at) {
        licenseInfo->currentState = NVML_GRID_LICENSE_STATE_UNLICENSED_UNRESTRICTED;
        licenseInfo->licenseExpiry.status = NVML_GRID_LICENSE_EXPIRY_NOT_AVAILABLE;
        NVML_LEAVE(NVML_SUCCESS);
    }
    time_t expiry = (time_t) licensed_at + (time_t) LICENSE_DAYS * 86400;
    struct tm tm;
    gmtime_r(&expiry, &tm);
    licenseInfo->isLicensed = 1;
    licenseInfo->currentState = NVML_GRID_LICENSE_STATE_LICENSED;
    licenseInfo->licenseExpiry.year = (unsigned) tm.tm_year + 1900;
    licenseInfo->licenseExpiry.month = (unsigned short) (tm.tm_mon + 1);
    licenseInfo->licenseExpiry.day = (unsigned short) tm.tm_mday;
    licenseInfo->licenseExpiry.hour = (unsigned short) tm.tm_hour;
    licenseInfo->licenseExpiry.min = (unsigned short) tm.tm_min;
    licenseInfo->licenseExpiry.sec = (unsigned short) tm.tm_sec;
    licenseInfo->licenseExpiry.status = NVML_GRID_LICENSE_EXPIRY_VALID;
    NVML_LEAVE(NVML_SUCCESS);
}

static unsigned percent(double x)
{
    return x < 0 ? 0 : x > 100 ? 100 : (unsigned) lround(x);
}

/* SM percent (unclamped) of a vGPU's sample at ts, CPU microseconds. */
static double sm_at(const vgpu_instance *v, unsigned long long ts)
{
    double t = (double) ts / 1e6, phase = (v->id % 89) * 0.73;
    return 20.0 + 25.0 * (0.5 + 0.5 * sin(2 * M_PI * t / 150.0 + phase)) + 15.0 * sin(2 * M_PI * t / 23.0 + 2 * phase);
}

/*
 * One sample per active vGPU: its latest, taken on the whole second (the first at creation). Only samples newer
 * than lastSeenTimeStamp are returned; NOT_FOUND when no vGPU has one. A NULL buffer asks for the vGPU count.
 */
EXPORT nvmlReturn_t nvmlDeviceGetVgpuUtilization(nvmlDevice_t device, unsigned long long lastSeenTimeStamp,
                                                 int *sampleValType, unsigned int *vgpuInstanceSamplesCount,
                                                 nvmlVgpuInstanceUtilizationSample_t *utilizationSamples)
{
    NVML_ENTER(device);
    if (!sampleValType || !vgpuInstanceSamplesCount)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    sync_instances();
    unsigned active = 0;
    for (int i = 0; i < MAX_VGPUS; i++)
        if (instances[i].id && instances[i].gpu == device)
            active++;
    *sampleValType = NVML_VALUE_TYPE_UNSIGNED_INT;
    if (!utilizationSamples || *vgpuInstanceSamplesCount < active) {
        *vgpuInstanceSamplesCount = active;
        NVML_LEAVE(active == 0 ? NVML_SUCCESS : NVML_ERROR_INSUFFICIENT_SIZE);
    }
    double now = now_s();
    unsigned long long tick = (unsigned long long) now * SAMPLE_PERIOD_US;
    unsigned n = 0;
    for (int i = 0; i < MAX_VGPUS; i++) {
        const vgpu_instance *v = &instances[i];
        if (!v->id || v->gpu != device)
            continue;
        unsigned long long created = (unsigned long long) (v->created * 1e6);
        unsigned long long ts = tick > created ? tick : created;
        if (ts <= lastSeenTimeStamp)
            continue;
        nvmlVgpuInstanceUtilizationSample_t *s = &utilizationSamples[n++];
        memset(s, 0, sizeof *s);
        s->vgpuInstance = v->id;
        s->timeStamp = ts;
        if (ts == created)
            continue;                       /* the first sample: nothing has run yet */
        double sm = sm_at(v, ts);
        s->smUtil.uiVal = percent(sm);
        s->memUtil.uiVal = percent(sm * 0.55);
        s->encUtil.uiVal = series(v->type) == 'C' ? 0 : percent(sm * 0.2);
        s->decUtil.uiVal = series(v->type) == 'C' ? 0 : percent(sm * 0.1);
    }
    *vgpuInstanceSamplesCount = n;
    NVML_LEAVE(n == 0 ? NVML_ERROR_NOT_FOUND : NVML_SUCCESS);
}

typedef struct {
    unsigned int pid;
    unsigned long long timeStamp;
    unsigned int smUtil, memUtil, encUtil, decUtil;
} nvmlProcessUtilizationSample_t;
_Static_assert(sizeof(nvmlProcessUtilizationSample_t) == 32, "nvmlProcessUtilizationSample_t must match nvml.h");
_Static_assert(__builtin_offsetof(nvmlProcessUtilizationSample_t, timeStamp) == 8, "timeStamp at 8");
_Static_assert(__builtin_offsetof(nvmlProcessUtilizationSample_t, smUtil) == 16, "smUtil at 16");

#define VGPU_MGR_FIRST_PID 40000u

/*
 * Simulated processes: each active vGPU is served by one vgpu-mgr process on its GPU, pid VGPU_MGR_FIRST_PID plus
 * (instance id - FIRST_INSTANCE_ID) % 20000, whose samples are the vGPU's own (nvmlDeviceGetVgpuUtilization): one
 * per second, the first at creation with zero figures. A GPU without vGPUs runs no process. Protocol as nvml.h: a
 * NULL buffer (or *processSamplesCount smaller than the process count) answers INSUFFICIENT_SIZE with the count, or
 * SUCCESS with 0 when there is no process; NOT_FOUND when no sample is newer than lastSeenTimeStamp (0: all);
 * NOT_SUPPORTED while MIG is enabled.
 */
EXPORT nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t device, nvmlProcessUtilizationSample_t *utilization,
                                                    unsigned int *processSamplesCount, unsigned long long lastSeenTimeStamp)
{
    NVML_ENTER(device);
    if (!processSamplesCount)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (mig_enabled(device))
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    sync_instances();
    unsigned active = 0;
    for (int i = 0; i < MAX_VGPUS; i++)
        if (instances[i].id && instances[i].gpu == device)
            active++;
    if (!utilization || *processSamplesCount < active) {
        *processSamplesCount = active;
        NVML_LEAVE(active == 0 ? NVML_SUCCESS : NVML_ERROR_INSUFFICIENT_SIZE);
    }
    unsigned long long tick = (unsigned long long) now_s() * SAMPLE_PERIOD_US;
    unsigned n = 0;
    for (int i = 0; i < MAX_VGPUS; i++) {
        const vgpu_instance *v = &instances[i];
        if (!v->id || v->gpu != device)
            continue;
        unsigned long long created = (unsigned long long) (v->created * 1e6);
        unsigned long long ts = tick > created ? tick : created;
        if (ts <= lastSeenTimeStamp)
            continue;
        nvmlProcessUtilizationSample_t *s = &utilization[n++];
        memset(s, 0, sizeof *s);
        s->pid = VGPU_MGR_FIRST_PID + (v->id - FIRST_INSTANCE_ID) % 20000u;
        s->timeStamp = ts;
        if (ts == created)
            continue;
        double sm = sm_at(v, ts);
        s->smUtil = percent(sm);
        s->memUtil = percent(sm * 0.55);
        s->encUtil = series(v->type) == 'C' ? 0 : percent(sm * 0.2);
        s->decUtil = series(v->type) == 'C' ? 0 : percent(sm * 0.1);
    }
    *processSamplesCount = n;
    NVML_LEAVE(n == 0 ? NVML_ERROR_NOT_FOUND : NVML_SUCCESS);
}
