/*
 * Shared declarations of the vgpusim library (file map in vgpusim.c).
 * Never call libc's open/write/close from any file of this library: they are its own symbols.
 */
#ifndef VGPUSIM_H
#define VGPUSIM_H

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define HIDDEN __attribute__((visibility("hidden")))

/* ---------------------------------------------------------------- models ---------------------- */

typedef struct {
    int id;              /* the number in "nvidia-<id>" */
    const char *suffix;  /* "8Q" */
    int fb_gib;          /* framebuffer in GiB */
    int heads;
    int frl;
    const char *max_resolution;
    int max_instances;   /* per physical GPU, equal-size mode */
} vgpu_type;

typedef struct mig_geometry mig_geometry;   /* mig.c */

typedef struct {
    const char *model;           /* host file "model=" value */
    const char *name;            /* nvmlDeviceGetName */
    unsigned pci_device_id;      /* (device << 16) | vendor */
    unsigned pci_subsystem_id;
    unsigned long long default_memory_mib;
    int sriov;                   /* mdev parents are VFs (1) or the PF (0) */
    int max_vfs;                 /* sriov_totalvfs ceiling */
    int vf_offset, vf_stride;    /* SR-IOV First VF Offset / VF Stride, in devfn units */
    const vgpu_type *types;
    int type_count;
    const mig_geometry *mig;     /* NULL: no MIG */
} gpu_model;

extern HIDDEN const mig_geometry MIG_A100_40GB, MIG_A100_80GB, MIG_H100_80GB, MIG_A30;

/* ---------------------------------------------------------------- host state ------------------ */

#define MAX_GPUS 32
#define UUID_LEN 36

typedef struct sim_gpu {
    int index;
    unsigned domain, bus, dev, fn;
    char pci[16];                 /* "0000:41:00.0" */
    char uuid[96];
    unsigned long long memory_mib;
    int vfs;                      /* sriov_totalvfs */
    int mig_on;                   /* host file "mig=": 1, 0, or -1 when absent */
    int sriov_at_boot;            /* host file "sriov_at_boot=": VFs enabled at boot (1, the default) or not (0) */
    int audio;                    /* host file "audio=on": an HD audio function .1 in the GPU's IOMMU group */
    char group_with[16];          /* host file "group_with=<bdf>": a foreign NIC in the GPU's IOMMU group, or "" */
    int processes;                /* host compute processes NVML reports on the GPU (host file "processes=") */
    const gpu_model *model;
    gpu_model own_model;          /* the model as this host's driver shows it (no vGPU types on the data-center driver) */
} sim_gpu;

extern HIDDEN pthread_mutex_t lock;
extern HIDDEN sim_gpu gpus[MAX_GPUS];
extern HIDDEN int gpu_count;
extern HIDDEN int nvml_refs;

/* ---------------------------------------------------------------- sysfs tree (sysfs.c) -------- */

extern HIDDEN int configured;
extern HIDDEN char sysfs_root[PATH_MAX];
/*
 * Host file "vgpu_framework=vfio": NVIDIA's vendor-specific VFIO framework (vGPU 17+, kernel >= 6.8) instead of mdev.
 * No mdev core (no class/mdev_bus, no mdev_supported_types); every VF gets nvidia/creatable_vgpu_types and
 * nvidia/current_vgpu_type, and a vGPU is created by writing its type id to current_vgpu_type (kernel.c).
 */
extern HIDDEN int vgpu_framework_vfio;

#define PATHF(buf, ...) snprintf(buf, sizeof buf, __VA_ARGS__)

/* What exists on a GPU right now, read back from the tree (the tree survives process restarts). */
typedef struct {
    int count;
    int fb_gib;                 /* framebuffer size in use (equal-size mode), 0 when none */
    unsigned long long fb_total_gib;
    unsigned char parent_busy[64];
} gpu_usage;

HIDDEN int real_open(const char *path, int flags, mode_t mode);
HIDDEN ssize_t real_write(int fd, const void *buf, size_t count);
HIDDEN int real_close(int fd);
HIDDEN int write_text(const char *path, const char *text, mode_t mode);
HIDDEN int mkdir_p(const char *path);
HIDDEN void remove_tree(const char *path);
HIDDEN int current_numvfs(const sim_gpu *g);
HIDDEN sim_gpu *gpu_for_address(const char *bdf, int *parent);
HIDDEN const vgpu_type *type_by_dir(const gpu_model *m, const char *dir);
HIDDEN void scan_gpu(const sim_gpu *g, gpu_usage *u);
HIDDEN int available(const sim_gpu *g, const gpu_usage *u, int parent, const vgpu_type *t);
HIDDEN void refresh_available(const sim_gpu *g);
HIDDEN int enable_vfs(const sim_gpu *g, int n);
HIDDEN void disable_vfs(const sim_gpu *g, int n);
HIDDEN int boot_gpu(const sim_gpu *g);
HIDDEN int create_parent(const sim_gpu *g, const char *addr);
HIDDEN int create_vfio_vf(const char *addr);
HIDDEN void pci_function_files(const sim_gpu *g, const char *addr);
/* The driver link of a PCI function (and the driver's link back), replacing any binding; unbind_driver drops both. */
HIDDEN void bind_driver(const char *addr, const char *driver);
HIDDEN void unbind_driver(const char *addr);
/* Vendor-VFIO: the current_vgpu_type of VF number vf (0 = none), -1 when the VF does not exist. */
HIDDEN int vfio_current_type(const sim_gpu *g, int vf);
HIDDEN const vgpu_type *type_by_id(const gpu_model *m, int id);
/* Rewrites current_vgpu_type of one VF; the caller refreshes the creatable lists. */
HIDDEN int vfio_set_current(const sim_gpu *g, int vf, int id);

/* ---------------------------------------------------------------- host facts (host.c) --------- */

/*
 * Host-wide host file lines (each at most once): iommu=on|off|firmware-off, vfio=loaded|missing,
 * driver=vgpu|datacenter, vgpu_mgr=running|stopped. They shape the simulated procfs at <dirname(sysfs root)>/proc
 * (cmdline, driver/nvidia/version, <pid>/comm), /sys/kernel/iommu_groups, /sys/module and the drivers that exist.
 */
enum { IOMMU_ON = 0, IOMMU_OFF, IOMMU_FIRMWARE_OFF };
extern HIDDEN int host_iommu;
extern HIDDEN int host_vfio_loaded;
extern HIDDEN int host_driver_datacenter;
extern HIDDEN int host_vgpu_mgr_running;
extern HIDDEN char proc_root[PATH_MAX];

/* A host-wide key=value line: 0 parsed, 1 refused (why in err), -1 not a host-wide key. */
HIDDEN int parse_host_line(const char *line, char *err, size_t errlen);
/* nvmlSystemGetDriverVersion, /proc/driver/nvidia/version and /sys/module/nvidia/version. */
HIDDEN const char *driver_version(void);
/* Defaults before a host file is read. */
HIDDEN void host_defaults(void);
/* After the host file: applies the driver flavour to every GPU's model. */
HIDDEN void host_configured(void);
/* procfs, modules, the GPUs' extra functions and IOMMU groups (vgpusim_boot, after the GPUs). -1 with errno. */
HIDDEN int boot_host(void);
/* A VF appeared or went: its own IOMMU group (when the IOMMU is on). */
HIDDEN void vf_iommu_group(const sim_gpu *g, int vf, const char *addr, int present);
/* The driver whose id table matches a function that has no driver_override, or NULL. */
HIDDEN const char *id_table_driver(const char *addr);
/* Whether the function has an iommu_group link (vfio-pci binds nothing else). */
HIDDEN int has_iommu_group(const char *addr);
/* proc_root from the sysfs root (its sibling "proc"): once per vgpusim_configure, the only writer of sysfs_root. */
HIDDEN void derive_proc_root(void);
/* The first line of a file, without its newline; -1 (out empty) when it cannot be opened. */
HIDDEN int read_line(const char *path, char *out, size_t len);
/* read_line of <sysfs>/bus/pci/devices/<addr>/<attr>. */
HIDDEN int read_attr(const char *addr, const char *attr, char *out, size_t len);
/*
 * The nvidia driver's procfs entry of a GPU, /proc/driver/nvidia/gpus/<bdf>/ with information ("Device Minor: <index>")
 * and unbindLock ("0"): made when nvidia binds the GPU, gone (with any unbind lock) when it lets go.
 */
HIDDEN void nvidia_proc_gpu(const sim_gpu *g, int present);
/* The ALSA card number of a GPU's HD audio function (its GPU's index), or -1 when addr is none. */
HIDDEN int audio_card(const char *addr);
/* <addr>/sound/card<N>: made when snd_hda_intel binds the audio function, gone when it lets go. */
HIDDEN void sound_card(const char *addr, int present);

/* ---------------------------------------------------------------- PCI driver core (driver.c) --- */

/* The bound driver's name into out (empty when none). */
HIDDEN void driver_of(const char *addr, char *out, size_t len);

/* The drivers the simulated kernel has; their directories hold bind and unbind. */
#define DRIVER_NVIDIA "nvidia"
#define DRIVER_VFIO_PCI "vfio-pci"
#define DRIVER_SND_HDA "snd_hda_intel"
#define DRIVER_IXGBE "ixgbe"

/* Stores to driver_override, drivers/<driver>/bind and unbind, and drivers_probe: 0 or -errno. Lock held. */
HIDDEN int driver_override_store(const char *device, const char *buf, size_t count);
HIDDEN int driver_bind_store(const char *driver, const char *buf, size_t count);
HIDDEN int driver_unbind_store(const char *driver, const char *buf, size_t count);
HIDDEN int drivers_probe_store(const char *buf, size_t count);
/* The driver directories, bind/unbind and drivers_probe (vgpusim_boot). */
HIDDEN int driver_core_files(void);
/*
 * Whether any process of the simulated procfs has a device open that match accepts: a /proc/<pid>/fd/<n> link whose
 * target (e.g. "/dev/nvidia0") match(target, arg) calls non-zero.
 */
HIDDEN int device_held(int (*match)(const char *target, const void *arg), const void *arg);
/* Whether the GPU is in use on the host: compute processes, or a process holding /dev/nvidia<index>. */
HIDDEN int nvidia_gpu_in_use(const sim_gpu *g);
/* A store to /proc/driver/nvidia/gpus/<bdf>/unbindLock: 0 or -errno. Lock held. */
HIDDEN int unbind_lock_store(const char *gpu, const char *buf, size_t count);
/*
 * Whether NVML sees the GPU: it is bound to nvidia (a GPU bound to vfio-pci, or to no driver, is not the nvidia
 * driver's). Before the tree exists (read-only discovery) every configured GPU counts as bound.
 */
HIDDEN int gpu_on_nvidia(const sim_gpu *g);
/* Removes the mdev uuid from parent, as echo 1 > remove does. Lock held. */
HIDDEN int mdev_remove(const char *parent, const char *uuid);

/* ---------------------------------------------------------------- NVML basics ----------------- */

typedef int nvmlReturn_t;
typedef sim_gpu *nvmlDevice_t;

enum {
    NVML_SUCCESS = 0, NVML_ERROR_UNINITIALIZED = 1, NVML_ERROR_INVALID_ARGUMENT = 2, NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_NOT_FOUND = 6, NVML_ERROR_INSUFFICIENT_SIZE = 7, NVML_ERROR_DRIVER_NOT_LOADED = 9,
    NVML_ERROR_IN_USE = 19, NVML_ERROR_INSUFFICIENT_RESOURCES = 23, NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
};

HIDDEN int valid_device(const void *d);
HIDDEN nvmlReturn_t copy_string(char *dst, unsigned int length, const char *src);

#define NVML_ENTER(dev)                                          \
    pthread_mutex_lock(&lock);                                   \
    nvmlReturn_t r_ = NVML_SUCCESS;                              \
    if (nvml_refs == 0) r_ = NVML_ERROR_UNINITIALIZED;           \
    else if (!valid_device(dev)) r_ = NVML_ERROR_INVALID_ARGUMENT; \
    if (r_ != NVML_SUCCESS) { pthread_mutex_unlock(&lock); return r_; }
#define NVML_LEAVE(r) do { nvmlReturn_t v_ = (r); pthread_mutex_unlock(&lock); return v_; } while (0)

/* ---------------------------------------------------------------- MIG hooks (mig.c) ----------- */

/* Host file loaded: every GPU takes its "mig=" mode as current and pending, with no instances. Lock held. */
HIDDEN void mig_configure(void);
/* Simulated GPU reset (boot): the pending mode becomes current and all GPU/compute instances are gone. Lock held. */
HIDDEN void mig_reset(const sim_gpu *g);
HIDDEN int mig_enabled(const sim_gpu *g);
/* The nvidia driver let go of the GPU (unbind): its GPU and compute instances are gone. Lock held. */
HIDDEN void mig_driver_unbound(const sim_gpu *g);
/*
 * The nvidia driver probed the GPU again (after vfio-pci, which resets the function): a pending mode becomes current;
 * Hopper's MIG mode does not survive a driver reload and comes back disabled. Lock held.
 */
HIDDEN void mig_driver_bound(const sim_gpu *g);
/* The "MIG-..." UUID when h is a MIG device handle, else NULL. Lock held. */
HIDDEN const char *mig_device_uuid(const void *h);
/* The MIG device handle of an existing MIG device with that "MIG-..." UUID, else NULL. Lock held. */
HIDDEN const void *mig_device_by_uuid(const char *uuid);

/* ---------------------------------------------------------------- vGPU hooks (vgpu.c) ---------- */

/* The simulated kernel created an mdev of type t on parent (a VF or the PF of g): it is an active vGPU now. Lock held. */
HIDDEN void vgpu_created(const sim_gpu *g, const vgpu_type *t, const char *parent, const char *mdev);
/* The simulated kernel removed the mdev: its vGPU instance ends. Lock held. */
HIDDEN void vgpu_removed(const char *mdev);

#endif
