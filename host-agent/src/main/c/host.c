/*
 * vgpusim: the host around the GPUs, for readiness checks (vgpuhub-agent doctor) and passthrough.
 *
 * Host-wide host file lines, each at most once:
 *   iommu=on|off|firmware-off  on (default): /proc/cmdline has intel_iommu=on iommu=pt and every PCI function has an
 *                              IOMMU group; off: neither; firmware-off: the command line asks for it but VT-d is off
 *                              in the firmware, so /sys/kernel/iommu_groups stays empty (as the kernel shows it)
 *   vfio=loaded|missing        vfio, vfio_pci, vfio_pci_core and vfio_iommu_type1 under /sys/module and the vfio-pci
 *                              driver under /sys/bus/pci/drivers (default loaded); missing: no vfio-pci to bind to
 *   driver=vgpu|datacenter     the NVIDIA vGPU host driver (default: NVML virtualization mode HOST_VGPU, vGPU types,
 *                              nvidia_vgpu_vfio on mdev hosts) or the data-center driver (mode NONE, no vGPU types, no
 *                              VFs enabled at boot: sriov-manage ships with the vGPU driver)
 *   vgpu_mgr=running|stopped   whether the nvidia-vgpu-mgr daemon runs (a process in the simulated procfs)
 * Per GPU (vgpusim.c): sriov_at_boot=on|off, audio=on, group_with=<bdf>, processes=<n>.
 *
 * The simulated procfs lives beside the sysfs root: <dirname(sysfs root)>/proc, as /proc is beside /sys. Each GPU the
 * nvidia driver drives has driver/nvidia/gpus/<bdf>/information ("Device Minor: <index>", so /dev/nvidia<index>) and
 * unbindLock (driver.c answers its stores); a GPU's audio function on snd_hda_intel has sound/card<index> in sysfs, so
 * /dev/snd/controlC<index>, pcmC<index>D*, hwC<index>D*. A test makes a process hold one of those devices with a
 * <pid>/fd/<n> link to it in the simulated procfs.
 * IOMMU groups: GPU i and its extra functions share group 16 + i; VF v of GPU i has its own group 256 + 64 i + v
 * (ACS-capable root ports, as on servers built for SR-IOV). vfio-pci binds only a function that has a group.
 */
#include "vgpusim.h"

int host_iommu;
int host_vfio_loaded;
int host_driver_datacenter;
int host_vgpu_mgr_running;
char proc_root[PATH_MAX];

#define VGPU_MGR_PID 2187
#define CMDLINE "BOOT_IMAGE=/boot/vmlinuz-6.8.0-49-generic root=/dev/mapper/vg0-root ro quiet splash"

static int seen;

void host_defaults(void)
{
    host_iommu = IOMMU_ON;
    host_vfio_loaded = 1;
    host_driver_datacenter = 0;
    host_vgpu_mgr_running = 1;
    seen = 0;
}

static int choose(const char *value, const char *const *choices, int count)
{
    for (int i = 0; i < count; i++)
        if (!strcmp(value, choices[i]))
            return i;
    return -1;
}

int parse_host_line(const char *line, char *err, size_t errlen)
{
    static const char *const IOMMU[] = { "on", "off", "firmware-off" };
    static const char *const VFIO[] = { "missing", "loaded" };
    static const char *const DRIVER[] = { "vgpu", "datacenter" };
    static const char *const MGR[] = { "stopped", "running" };
    static const struct { const char *key; const char *const *choices; int count; int *target; } KEYS[] = {
        { "iommu", IOMMU, 3, &host_iommu },
        { "vfio", VFIO, 2, &host_vfio_loaded },
        { "driver", DRIVER, 2, &host_driver_datacenter },
        { "vgpu_mgr", MGR, 2, &host_vgpu_mgr_running },
    };
    char key[32], value[32], extra[2];
    if (sscanf(line, "%31[a-z_]=%31s %1s", key, value, extra) < 2)
        return -1;
    for (int k = 0; k < (int) (sizeof KEYS / sizeof KEYS[0]); k++) {
        if (strcmp(key, KEYS[k].key) != 0)
            continue;
        if (sscanf(line, "%31[a-z_]=%31s %1s", key, value, extra) == 3) {
            snprintf(err, errlen, "expected %s=<value> alone on its line", key);
            return 1;
        }
        if (seen & (1 << k)) {
            snprintf(err, errlen, "%s given twice", key);
            return 1;
        }
        int v = choose(value, KEYS[k].choices, KEYS[k].count);
        if (v < 0) {
            char options[64] = "";
            for (int c = 0; c < KEYS[k].count; c++)
                snprintf(options + strlen(options), sizeof options - strlen(options), "%s%s", c ? "|" : "",
                         KEYS[k].choices[c]);
            snprintf(err, errlen, "%s must be %s, got '%s'", key, options, value);
            return 1;
        }
        *KEYS[k].target = v;
        seen |= 1 << k;
        return 0;
    }
    return -1;
}

void host_configured(void)
{
    for (int i = 0; i < gpu_count; i++) {
        sim_gpu *g = &gpus[i];
        g->own_model = *g->model;
        if (host_driver_datacenter) {
            g->own_model.types = NULL;
            g->own_model.type_count = 0;
        }
        g->model = &g->own_model;
    }
}

const char *driver_version(void)
{
    return host_driver_datacenter ? "550.127.08" : "550.127.05";
}

/* ---------------------------------------------------------------- procfs and modules ----------- */

void derive_proc_root(void)
{
    snprintf(proc_root, sizeof proc_root, "%s", sysfs_root);
    char *slash = strrchr(proc_root, '/');
    if (slash && slash != proc_root)
        *slash = 0;
    else
        proc_root[0] = 0;
    strncat(proc_root, "/proc", sizeof proc_root - strlen(proc_root) - 1);
}

void nvidia_proc_gpu(const sim_gpu *g, int present)
{
    char p[PATH_MAX], text[768];
    PATHF(p, "%s/driver/nvidia/gpus/%s", proc_root, g->pci);
    remove_tree(p);
    if (!present || mkdir_p(p) < 0)
        return;
    PATHF(p, "%s/driver/nvidia/gpus/%s/information", proc_root, g->pci);
    snprintf(text, sizeof text,
             "Model: \t\t %s\nIRQ:   \t\t %d\nGPU UUID: \t %s\nVideo BIOS: \t 94.02.5c.00.01\nBus Type: \t PCIe\n"
             "DMA Size: \t 47 bits\nDMA Mask: \t 0x7fffffffffff\nBus Location: \t %s\nDevice Minor: \t %d\n"
             "GPU Excluded:\t No\n", g->model->name, 150 + g->index, g->uuid, g->pci, g->index);
    write_text(p, text, 0444);
    PATHF(p, "%s/driver/nvidia/gpus/%s/unbindLock", proc_root, g->pci);
    write_text(p, "0\n", 0644);
}

static int write_proc(void)
{
    char p[PATH_MAX], text[512];
    PATHF(p, "%s/driver/nvidia", proc_root);
    if (mkdir_p(p) < 0)
        return -1;
    PATHF(p, "%s/cmdline", proc_root);
    if (write_text(p, host_iommu == IOMMU_OFF ? CMDLINE "\n" : CMDLINE " intel_iommu=on iommu=pt\n", 0444) < 0)
        return -1;
    PATHF(p, "%s/driver/nvidia/version", proc_root);
    snprintf(text, sizeof text,
             "NVRM version: NVIDIA UNIX x86_64 Kernel Module  %s  Tue Oct  8 03:21:43 UTC 2024\n"
             "GCC version:  gcc version 12.3.0 (Ubuntu 12.3.0-1ubuntu1~22.04)\n", driver_version());
    write_text(p, text, 0444);
    PATHF(p, "%s/1", proc_root);
    mkdir_p(p);
    PATHF(p, "%s/1/comm", proc_root);
    write_text(p, "systemd\n", 0444);
    PATHF(p, "%s/%d", proc_root, VGPU_MGR_PID);
    if (!host_driver_datacenter && host_vgpu_mgr_running) {
        mkdir_p(p);
        PATHF(p, "%s/%d/comm", proc_root, VGPU_MGR_PID);
        write_text(p, "nvidia-vgpu-mgr\n", 0444);
    } else {
        remove_tree(p);
    }
    return 0;
}

static void module_dir(const char *name, int present)
{
    char p[PATH_MAX];
    PATHF(p, "%s/module/%s", sysfs_root, name);
    if (present)
        mkdir_p(p);
    else
        remove_tree(p);
}

static void write_modules(void)
{
    static const char *const VFIO[] = { "vfio", "vfio_pci", "vfio_pci_core", "vfio_iommu_type1" };
    char p[PATH_MAX], text[32];
    module_dir("nvidia", 1);
    PATHF(p, "%s/module/nvidia/version", sysfs_root);
    snprintf(text, sizeof text, "%s\n", driver_version());
    write_text(p, text, 0444);
    module_dir("nvidia_vgpu_vfio", !host_driver_datacenter && !vgpu_framework_vfio);
    for (size_t i = 0; i < sizeof VFIO / sizeof VFIO[0]; i++)
        module_dir(VFIO[i], host_vfio_loaded);
    if (!host_vfio_loaded) {
        PATHF(p, "%s/bus/pci/drivers/%s", sysfs_root, DRIVER_VFIO_PCI);
        remove_tree(p);
    }
}

/* ---------------------------------------------------------------- IOMMU groups and functions --- */

static void group_link(const char *addr, int group, int present)
{
    char link[PATH_MAX], target[PATH_MAX];
    PATHF(link, "%s/bus/pci/devices/%s/iommu_group", sysfs_root, addr);
    unlink(link);
    if (!present || host_iommu != IOMMU_ON)
        return;
    PATHF(target, "../../../../kernel/iommu_groups/%d", group);
    symlink(target, link);
    PATHF(link, "%s/kernel/iommu_groups/%d/devices", sysfs_root, group);
    mkdir_p(link);
    PATHF(link, "%s/kernel/iommu_groups/%d/devices/%s", sysfs_root, group, addr);
    PATHF(target, "../../../../bus/pci/devices/%s", addr);
    unlink(link);
    symlink(target, link);
}

void vf_iommu_group(const sim_gpu *g, int vf, const char *addr, int present)
{
    char p[PATH_MAX];
    int group = 256 + 64 * g->index + vf;
    if (present) {
        group_link(addr, group, 1);
    } else {
        PATHF(p, "%s/kernel/iommu_groups/%d", sysfs_root, group);
        remove_tree(p);
    }
}

int has_iommu_group(const char *addr)
{
    char p[PATH_MAX];
    struct stat st;
    PATHF(p, "%s/bus/pci/devices/%s/iommu_group", sysfs_root, addr);
    return lstat(p, &st) == 0 && S_ISLNK(st.st_mode) && stat(p, &st) == 0;
}

/* A non-GPU PCI function, bound to its driver when first made (a reused tree keeps its binding). */
static int extra_function(const char *addr, const char *vendor, const char *device, const char *class, const char *driver)
{
    char p[PATH_MAX], text[32];
    struct stat st;
    PATHF(p, "%s/bus/pci/devices/%s", sysfs_root, addr);
    if (stat(p, &st) == 0)
        return 0;
    if (mkdir_p(p) < 0)
        return -1;
    PATHF(p, "%s/bus/pci/devices/%s/vendor", sysfs_root, addr);
    snprintf(text, sizeof text, "%s\n", vendor);
    write_text(p, text, 0444);
    PATHF(p, "%s/bus/pci/devices/%s/device", sysfs_root, addr);
    snprintf(text, sizeof text, "%s\n", device);
    write_text(p, text, 0444);
    PATHF(p, "%s/bus/pci/devices/%s/class", sysfs_root, addr);
    snprintf(text, sizeof text, "%s\n", class);
    write_text(p, text, 0444);
    PATHF(p, "%s/bus/pci/devices/%s/driver_override", sysfs_root, addr);
    write_text(p, "(null)\n", 0644);
    bind_driver(addr, driver);
    return 0;
}

static void audio_address(const sim_gpu *g, char *out, size_t len)
{
    snprintf(out, len, "%04x:%02x:%02x.1", g->domain, g->bus, g->dev);
}

int audio_card(const char *addr)
{
    char a[16];
    for (int i = 0; addr && i < gpu_count; i++) {
        if (!gpus[i].audio)
            continue;
        audio_address(&gpus[i], a, sizeof a);
        if (!strcmp(a, addr))
            return gpus[i].index;
    }
    return -1;
}

void sound_card(const char *addr, int present)
{
    char p[PATH_MAX];
    int card = audio_card(addr);
    PATHF(p, "%s/bus/pci/devices/%s/sound", sysfs_root, addr);
    remove_tree(p);
    if (!present || card < 0)
        return;
    PATHF(p, "%s/bus/pci/devices/%s/sound/card%d", sysfs_root, addr, card);
    mkdir_p(p);
}

int read_line(const char *path, char *out, size_t len)
{
    out[0] = 0;
    int fd = real_open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, out, len - 1);
    real_close(fd);
    out[n > 0 ? n : 0] = 0;
    char *nl = strchr(out, '\n');
    if (nl)
        *nl = 0;
    return 0;
}

int read_attr(const char *addr, const char *attr, char *out, size_t len)
{
    char p[PATH_MAX];
    PATHF(p, "%s/bus/pci/devices/%s/%s", sysfs_root, addr, attr);
    return read_line(p, out, len);
}

const char *id_table_driver(const char *addr)
{
    int parent;
    if (gpu_for_address(addr, &parent))
        return DRIVER_NVIDIA;
    char vendor[16], class[16];
    if (read_attr(addr, "vendor", vendor, sizeof vendor) < 0 || read_attr(addr, "class", class, sizeof class) < 0)
        return NULL;
    if (!strncmp(class, "0x0403", 6))
        return DRIVER_SND_HDA;
    if (!strcmp(vendor, "0x8086") && !strncmp(class, "0x0200", 6))
        return DRIVER_IXGBE;
    return NULL;
}

int boot_host(void)
{
    char p[PATH_MAX], addr[16], target[PATH_MAX];
    if (write_proc() < 0)
        return -1;
    write_modules();
    PATHF(p, "%s/kernel/iommu_groups", sysfs_root);
    remove_tree(p);
    if (mkdir_p(p) < 0)
        return -1;
    for (int i = 0; i < gpu_count; i++) {
        const sim_gpu *g = &gpus[i];
        int group = 16 + g->index;
        group_link(g->pci, group, 1);
        nvidia_proc_gpu(g, gpu_on_nvidia(g));
        if (g->audio) {
            audio_address(g, addr, sizeof addr);
            if (extra_function(addr, "0x10de", "0x1aef", "0x040300", DRIVER_SND_HDA) < 0)
                return -1;
            group_link(addr, group, 1);
            char driver[64];
            driver_of(addr, driver, sizeof driver);
            sound_card(addr, !strcmp(driver, DRIVER_SND_HDA));
        }
        if (g->group_with[0]) {
            if (extra_function(g->group_with, "0x8086", "0x1563", "0x020000", DRIVER_IXGBE) < 0)
                return -1;
            group_link(g->group_with, group, 1);
        }
        for (int v = 0; v < current_numvfs(g); v++) {
            PATHF(p, "%s/bus/pci/devices/%s/virtfn%d", sysfs_root, g->pci, v);
            ssize_t n = readlink(p, target, sizeof target - 1);
            if (n > 0) {
                target[n] = 0;
                vf_iommu_group(g, v, strrchr(target, '/') ? strrchr(target, '/') + 1 : target, 1);
            }
        }
    }
    return 0;
}

/* Test hook: host compute processes appear on or leave a GPU (a CUDA job started or ended). 0, or -1 for no such GPU. */
EXPORT int vgpusim_set_compute_processes(const char *pci, int count)
{
    pthread_mutex_lock(&lock);
    int rc = -1;
    for (int i = 0; pci && count >= 0 && i < gpu_count; i++)
        if (!strcmp(gpus[i].pci, pci)) {
            gpus[i].processes = count;
            rc = 0;
        }
    pthread_mutex_unlock(&lock);
    return rc;
}
