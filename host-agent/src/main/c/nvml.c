/* vgpusim: the device part of the NVML ABI (init, identity, memory, utilization). */
#include "vgpusim.h"

/* ---------------------------------------------------------------- NVML ------------------------- */

typedef struct {
    char busIdLegacy[16];
    unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
    char busId[32];
} nvmlPciInfo_t;
_Static_assert(sizeof(nvmlPciInfo_t) == 68, "nvmlPciInfo_t must match nvml.h");

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;


EXPORT const char *nvmlErrorString(nvmlReturn_t r)
{
    static const char *const text[] = {
        "Success", "Uninitialized", "Invalid Argument", "Not Supported", "Insufficient Permissions",
        "Already Initialized", "Not Found", "Insufficient Size", "Insufficient External Power",
        "Driver Not Loaded", "Timeout", "Interrupt request issue", "NVML Shared Library Not Found",
        "Function Not Found", "Corrupted infoROM", "GPU is lost", "GPU requires restart",
        "Operating System Call Failed", "RM has detected an NVML/RM version mismatch", "In use by another client",
        "Insufficient Memory", "No data", "The requested vgpu operation is not available on target device, becasue ECC is enabled",
        "Insufficient resources for request",
    };
    if (r >= 0 && r < (int) (sizeof text / sizeof text[0]))
        return text[r];
    return "Unknown Error";
}

EXPORT nvmlReturn_t nvmlInit_v2(void)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = configured ? NVML_SUCCESS : NVML_ERROR_DRIVER_NOT_LOADED;
    if (r == NVML_SUCCESS)
        nvml_refs++;
    pthread_mutex_unlock(&lock);
    return r;
}

EXPORT nvmlReturn_t nvmlShutdown(void)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = nvml_refs > 0 ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
    if (nvml_refs > 0)
        nvml_refs--;
    pthread_mutex_unlock(&lock);
    return r;
}

nvmlReturn_t copy_string(char *dst, unsigned int length, const char *src)
{
    if (!dst)
        return NVML_ERROR_INVALID_ARGUMENT;
    if (strlen(src) + 1 > length)
        return NVML_ERROR_INSUFFICIENT_SIZE;
    memcpy(dst, src, strlen(src) + 1);
    return NVML_SUCCESS;
}

int valid_device(const void *d)
{
    const sim_gpu *g = d;
    return g && g >= gpus && g < gpus + gpu_count;
}

EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED : copy_string(version, length, driver_version());
    pthread_mutex_unlock(&lock);
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED : !count ? NVML_ERROR_INVALID_ARGUMENT : NVML_SUCCESS;
    if (r == NVML_SUCCESS) {
        unsigned n = 0;
        for (int i = 0; i < gpu_count; i++)
            n += gpu_on_nvidia(&gpus[i]) != 0;
        *count = n;
    }
    pthread_mutex_unlock(&lock);
    return r;
}

/* Indexes count only the GPUs bound to nvidia: one handed to vfio-pci is gone from NVML, as on a real host. */
EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED : NVML_ERROR_INVALID_ARGUMENT;
    unsigned seen = 0;
    for (int i = 0; nvml_refs > 0 && device && i < gpu_count; i++) {
        if (!gpu_on_nvidia(&gpus[i]))
            continue;
        if (seen++ == index) {
            *device = &gpus[i];
            r = NVML_SUCCESS;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return r;
}

/* Accepts "%x:%x:%x.%x", "%x:%x:%x" (domain:bus:device) and "%x:%x.%x" (bus:device.function), as NVML does. */
EXPORT nvmlReturn_t nvmlDeviceGetHandleByPciBusId_v2(const char *bus_id, nvmlDevice_t *device)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = NVML_SUCCESS;
    unsigned dom = 0, bus = 0, dev = 0, fn = 0;
    int consumed = 0;
    if (nvml_refs == 0) {
        r = NVML_ERROR_UNINITIALIZED;
    } else if (!bus_id || !device) {
        r = NVML_ERROR_INVALID_ARGUMENT;
    } else if (sscanf(bus_id, "%x:%x:%x.%x%n", &dom, &bus, &dev, &fn, &consumed) == 4 && !bus_id[consumed]) {
        r = NVML_SUCCESS;
    } else if ((consumed = 0, sscanf(bus_id, "%x:%x:%x%n", &dom, &bus, &dev, &consumed) == 3) && !bus_id[consumed]) {
        fn = 0;
    } else if ((consumed = 0, sscanf(bus_id, "%x:%x.%x%n", &bus, &dev, &fn, &consumed) == 3) && !bus_id[consumed]) {
        dom = 0;
    } else {
        r = NVML_ERROR_INVALID_ARGUMENT;
    }
    if (r == NVML_SUCCESS) {
        r = NVML_ERROR_NOT_FOUND;
        for (int i = 0; i < gpu_count; i++)
            if (gpus[i].domain == dom && gpus[i].bus == bus && gpus[i].dev == dev && gpus[i].fn == fn
                && gpu_on_nvidia(&gpus[i])) {
                *device = &gpus[i];
                r = NVML_SUCCESS;
            }
    }
    pthread_mutex_unlock(&lock);
    return r;
}

/* "GPU-..." UUIDs of the configured GPUs and "MIG-..." UUIDs of existing MIG devices (their MIG device handle). */
EXPORT nvmlReturn_t nvmlDeviceGetHandleByUUID(const char *uuid, nvmlDevice_t *device)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED
        : (!uuid || !device) ? NVML_ERROR_INVALID_ARGUMENT : NVML_ERROR_NOT_FOUND;
    if (r == NVML_ERROR_NOT_FOUND) {
        for (int i = 0; i < gpu_count && r != NVML_SUCCESS; i++)
            if (!strcmp(gpus[i].uuid, uuid) && gpu_on_nvidia(&gpus[i])) {
                *device = &gpus[i];
                r = NVML_SUCCESS;
            }
        const void *mig = r == NVML_SUCCESS ? NULL : mig_device_by_uuid(uuid);
        if (mig) {
            *device = (nvmlDevice_t) mig;
            r = NVML_SUCCESS;
        }
    }
    pthread_mutex_unlock(&lock);
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length)
{
    NVML_ENTER(device);
    NVML_LEAVE(copy_string(name, length, device->model->name));
}

/* Also answers for MIG device handles, with their "MIG-..." UUID. */
EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length)
{
    pthread_mutex_lock(&lock);
    const char *mig = nvml_refs > 0 ? mig_device_uuid(device) : NULL;
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED
        : mig ? copy_string(uuid, length, mig)
        : valid_device(device) ? copy_string(uuid, length, device->uuid) : NVML_ERROR_INVALID_ARGUMENT;
    pthread_mutex_unlock(&lock);
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci)
{
    NVML_ENTER(device);
    if (!pci)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    memset(pci, 0, sizeof *pci);
    snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "%04X:%02X:%02X.0", device->domain, device->bus, device->dev);
    snprintf(pci->busId, sizeof pci->busId, "%08X:%02X:%02X.0", device->domain, device->bus, device->dev);
    pci->domain = device->domain;
    pci->bus = device->bus;
    pci->device = device->dev;
    pci->pciDeviceId = device->model->pci_device_id;
    pci->pciSubSystemId = device->model->pci_subsystem_id;
    NVML_LEAVE(NVML_SUCCESS);
}

/* The vGPU manager reserves some framebuffer; each vGPU holds its type's framebuffer while it exists. */
EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory)
{
    NVML_ENTER(device);
    if (!memory)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    gpu_usage u;
    scan_gpu(device, &u);
    unsigned long long mib = 1024ULL * 1024ULL;
    unsigned long long total = device->memory_mib * mib;
    unsigned long long used = (531ULL + u.fb_total_gib * 1024ULL) * mib;
    if (used > total)
        used = total;
    memory->total = total;
    memory->used = used;
    memory->free = total - used;
    NVML_LEAVE(NVML_SUCCESS);
}

/*
 * A deterministic function of wall-clock time: idle without vGPUs, two overlaid waves with them. Not supported while
 * MIG is enabled, as on real GPUs ("NVML does not support attribution of utilization metrics to MIG devices").
 */
EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization)
{
    NVML_ENTER(device);
    if (!utilization)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    if (mig_enabled(device))
        NVML_LEAVE(NVML_ERROR_NOT_SUPPORTED);
    gpu_usage u;
    scan_gpu(device, &u);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    double t = (double) now.tv_sec + now.tv_nsec / 1e9;
    double phase = device->index * 1.7;
    double gpu;
    if (u.count == 0) {
        gpu = 1.0 + sin(2 * M_PI * t / 60.0 + phase);
    } else {
        gpu = 15.0 + 4.0 * u.count + 30.0 * (0.5 + 0.5 * sin(2 * M_PI * t / 180.0 + phase))
              + 10.0 * sin(2 * M_PI * t / 37.0 + 2 * phase);
    }
    if (gpu < 0)
        gpu = 0;
    if (gpu > 100)
        gpu = 100;
    utilization->gpu = (unsigned) lround(gpu);
    utilization->memory = (unsigned) lround(gpu * 0.6);
    NVML_LEAVE(NVML_SUCCESS);
}


/* ---------------------------------------------------------------- driver flavour and processes -- */

enum { NVML_GPU_VIRTUALIZATION_MODE_NONE = 0, NVML_GPU_VIRTUALIZATION_MODE_HOST_VGPU = 3 };

/* HOST_VGPU under the vGPU host driver (host.c "driver=vgpu"), NONE under the data-center driver. */
EXPORT nvmlReturn_t nvmlDeviceGetVirtualizationMode(nvmlDevice_t device, int *pVirtualMode)
{
    NVML_ENTER(device);
    if (!pVirtualMode)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    *pVirtualMode = host_driver_datacenter ? NVML_GPU_VIRTUALIZATION_MODE_NONE : NVML_GPU_VIRTUALIZATION_MODE_HOST_VGPU;
    NVML_LEAVE(NVML_SUCCESS);
}

typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;   /* bytes */
    unsigned int gpuInstanceId;         /* 0xFFFFFFFF: not on a MIG instance */
    unsigned int computeInstanceId;
} nvmlProcessInfo_t;
_Static_assert(sizeof(nvmlProcessInfo_t) == 24, "nvmlProcessInfo_t must match nvml.h");

#define HOST_PROCESS_FIRST_PID 4100

/*
 * The host's compute processes on the GPU (host file "processes=", vgpusim_set_compute_processes), 512 MiB each.
 * Protocol as nvml.h: *infoCount smaller than the count (or a NULL infos) answers INSUFFICIENT_SIZE with the count in
 * *infoCount, unless there is none (SUCCESS, 0).
 */
EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int *infoCount,
                                                            nvmlProcessInfo_t *infos)
{
    NVML_ENTER(device);
    if (!infoCount)
        NVML_LEAVE(NVML_ERROR_INVALID_ARGUMENT);
    unsigned int n = (unsigned int) device->processes;
    if (n == 0) {
        *infoCount = 0;
        NVML_LEAVE(NVML_SUCCESS);
    }
    if (!infos || *infoCount < n) {
        *infoCount = n;
        NVML_LEAVE(NVML_ERROR_INSUFFICIENT_SIZE);
    }
    for (unsigned int i = 0; i < n; i++) {
        infos[i].pid = HOST_PROCESS_FIRST_PID + i;
        infos[i].usedGpuMemory = 512ULL << 20;
        infos[i].gpuInstanceId = 0xFFFFFFFFu;
        infos[i].computeInstanceId = 0xFFFFFFFFu;
    }
    *infoCount = n;
    NVML_LEAVE(NVML_SUCCESS);
}
