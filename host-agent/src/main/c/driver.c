/*
 * vgpusim: the PCI driver core of the simulated kernel, for handing a GPU to vfio-pci and back the way
 * Documentation/ABI/testing/sysfs-bus-pci and the VFIO docs describe it:
 *
 *   echo vfio-pci > /sys/bus/pci/devices/<bdf>/driver_override
 *   echo <bdf>    > /sys/bus/pci/devices/<bdf>/driver/unbind      (= /sys/bus/pci/drivers/<current>/unbind)
 *   echo <bdf>    > /sys/bus/pci/drivers_probe
 *
 * and back with an empty driver_override ("\n"), unbind from vfio-pci, drivers_probe. Four drivers exist: nvidia
 * (matches the simulated GPUs and their VFs by id table) and vfio-pci (matches only through driver_override, as it has
 * no id table of its own), plus snd_hda_intel and ixgbe for the other functions of a GPU's IOMMU group (host.c). vfio-pci
 * exists only while the vfio modules are loaded and probes only a function with an IOMMU group. The answers are the
 * kernel's (drivers/base/bus.c, drivers/base/driver.c, dd.c):
 *
 *   driver_override   strips at the first newline, empty clears it; EINVAL when count >= PAGE_SIZE - 1
 *   <driver>/unbind   ENODEV unless the named device exists and is bound to that driver
 *   <driver>/bind     ENODEV for an unknown device or one the driver does not match (driver_override names another
 *                     driver), EBUSY when the device already has a driver, else the probe's own error
 *   drivers_probe     ENODEV for an unknown device; otherwise succeeds even when no driver binds or a probe fails
 *                     (the kernel ignores probe errors there): check the driver link afterwards
 *
 * Device names compare as sysfs_streq does (one trailing newline allowed). Driver effects:
 *   nvidia unbind of a GPU: its mdevs and vendor-VFIO vGPUs go, its VFs are disabled and its MIG instances are gone
 *     [simulator's choice: NVIDIA's remove path is closed source; the agent never unbinds a GPU that holds devices]
 *   nvidia probe: the GPU (or VF) is the nvidia driver's again: mdev types or current_vgpu_type come back, VFs stay
 *     disabled until sriov-manage -e, MIG mode as after a driver reload (mig_driver_bound)
 *   vfio-pci probe of a VF on a vendor-VFIO host: EINVAL (nvidia.ko is the VFIO provider of those VFs, kubevirt#17642)
 *   vfio-pci unbind while a process (a VM's qemu) holds the function's group, a /proc/<pid>/fd link to /dev/vfio/<group>
 *     in the simulated procfs: the write blocks until the holder lets go, as vfio_unregister_group_dev waits in the
 *     kernel [simulator's choice: the kernel waits forever; here EBUSY after UNBIND_WAIT_MS, so that a caller that
 *     unbinds a held device fails a test instead of hanging it]
 *   nvidia unbind of a GPU in use (host compute processes, or a /proc/<pid>/fd link to /dev/nvidia<index>: persistenced,
 *     DCGM, nvidia-smi): blocks the same way, as nv_pci_remove loops while the usage count is not 0; snd_hda_intel
 *     unbind while a process holds /dev/snd/controlC<card>, pcmC<card>D*, hwC<card>D* too
 *   /proc/driver/nvidia/gpus/<bdf>/unbindLock: "1" takes the lock (reads back 1) unless the GPU is in use (reads back 0),
 *     "0" gives it back; anything else EINVAL, a GPU nvidia does not drive ENODEV. The lock goes with the binding: the
 *     nvidia driver's procfs entry of the GPU is made at probe and removed at unbind
 * NVML only sees GPUs bound to nvidia (gpu_on_nvidia).
 */
#include "vgpusim.h"

#define PAGE_SIZE 4096
#define UNBIND_WAIT_MS 2000

static void device_path(const char *addr, const char *attr, char *out, size_t len)
{
    snprintf(out, len, "%s/bus/pci/devices/%s%s%s", sysfs_root, addr, attr ? "/" : "", attr ? attr : "");
}

/* bus_find_device_by_name: the written name, one trailing newline allowed; 0 when no such device. */
static int device_by_name(const char *buf, size_t count, char *out, size_t len)
{
    if (count > 0 && buf[count - 1] == '\n')
        count--;
    if (count == 0 || count >= len)
        return 0;
    memcpy(out, buf, count);
    out[count] = 0;
    if (strchr(out, '/') || !strcmp(out, ".") || !strcmp(out, ".."))
        return 0;
    char p[PATH_MAX];
    struct stat st;
    device_path(out, NULL, p, sizeof p);
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void driver_of(const char *addr, char *out, size_t len)
{
    char link[PATH_MAX], target[PATH_MAX];
    out[0] = 0;
    device_path(addr, "driver", link, sizeof link);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return;
    target[n] = 0;
    snprintf(out, len, "%s", strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
}

/* driver_override, empty when unset ("(null)"). */
static void override_of(const char *addr, char *out, size_t len)
{
    read_attr(addr, "driver_override", out, len);
    if (!strcmp(out, "(null)"))
        out[0] = 0;
}

static int driver_exists(const char *driver)
{
    char p[PATH_MAX];
    struct stat st;
    PATHF(p, "%s/bus/pci/drivers/%s", sysfs_root, driver);
    return strchr(driver, '/') == NULL && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* pci_match_device: driver_override names the only driver that may bind; else the drivers' id tables (host.c). */
static int driver_matches(const char *driver, const char *addr)
{
    char override[256];
    override_of(addr, override, sizeof override);
    if (override[0])
        return !strcmp(override, driver);
    const char *matching = id_table_driver(addr);
    return matching && !strcmp(driver, matching);
}

static void remove_mdevs_of(const char *parent)
{
    char dir[PATH_MAX];
    PATHF(dir, "%s/bus/pci/devices/%s", sysfs_root, parent);
    DIR *d = opendir(dir);
    if (!d)
        return;
    char names[64][UUID_LEN + 1];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        char p[PATH_MAX];
        struct stat st;
        PATHF(p, "%s/%s/mdev_type", dir, e->d_name);
        if (strlen(e->d_name) == UUID_LEN && lstat(p, &st) == 0)
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    }
    closedir(d);
    for (int i = 0; i < n; i++)
        mdev_remove(parent, names[i]);
}

/* The nvidia driver lets go of a function: its mdev parent (or vendor-VFIO files) goes; for a GPU its VFs too. */
static void nvidia_remove(const char *addr)
{
    int parent;
    sim_gpu *g = gpu_for_address(addr, &parent);
    char p[PATH_MAX], vf[16];
    if (g && !strcmp(g->pci, addr)) {
        int vfs = current_numvfs(g);
        for (int i = 0; i < vfs; i++) {
            PATHF(p, "%s/bus/pci/devices/%s/virtfn%d", sysfs_root, g->pci, i);
            char target[PATH_MAX];
            ssize_t n = readlink(p, target, sizeof target - 1);
            if (n > 0) {
                target[n] = 0;
                snprintf(vf, sizeof vf, "%s", strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
                remove_mdevs_of(vf);
            }
        }
        if (vfs > 0)
            disable_vfs(g, vfs);
        mig_driver_unbound(g);
        nvidia_proc_gpu(g, 0);
    }
    remove_mdevs_of(addr);
    PATHF(p, "%s/class/mdev_bus/%s", sysfs_root, addr);
    unlink(p);
    PATHF(p, "%s/bus/pci/devices/%s/mdev_supported_types", sysfs_root, addr);
    remove_tree(p);
    PATHF(p, "%s/bus/pci/devices/%s/nvidia", sysfs_root, addr);
    remove_tree(p);
    if (g)
        refresh_available(g);
}

static int nvidia_probe(const char *addr)
{
    int parent;
    sim_gpu *g = gpu_for_address(addr, &parent);
    if (!g)
        return -ENODEV;
    bind_driver(addr, DRIVER_NVIDIA);
    if (!strcmp(g->pci, addr)) {
        if (!g->model->sriov && g->model->type_count > 0 && !vgpu_framework_vfio)
            create_parent(g, addr);
        mig_driver_bound(g);
        nvidia_proc_gpu(g, 1);
    }
    else if (g->model->type_count > 0) {
        if (vgpu_framework_vfio)
            create_vfio_vf(addr);
        else
            create_parent(g, addr);
    }
    refresh_available(g);
    return 0;
}

/* vfio_pci_probe: a function without an IOMMU group cannot be a VFIO device (no noiommu mode here). */
static int vfio_probe(const char *addr)
{
    if (!has_iommu_group(addr))
        return -EINVAL;
    int parent;
    sim_gpu *g = gpu_for_address(addr, &parent);
    if (g && strcmp(g->pci, addr) != 0 && vgpu_framework_vfio)
        return -EINVAL;
    bind_driver(addr, DRIVER_VFIO_PCI);
    return 0;
}

static int probe(const char *driver, const char *addr)
{
    if (!strcmp(driver, DRIVER_NVIDIA))
        return nvidia_probe(addr);
    if (!strcmp(driver, DRIVER_VFIO_PCI))
        return vfio_probe(addr);
    if (!strcmp(driver, DRIVER_SND_HDA) || !strcmp(driver, DRIVER_IXGBE)) {
        bind_driver(addr, driver);
        if (!strcmp(driver, DRIVER_SND_HDA))
            sound_card(addr, 1);
        return 0;
    }
    return -ENODEV;
}

int driver_override_store(const char *device, const char *buf, size_t count)
{
    if (count >= PAGE_SIZE - 1)
        return -EINVAL;
    size_t len = strnlen(buf, count);
    const char *nl = memchr(buf, '\n', len);
    if (nl)
        len = (size_t) (nl - buf);
    char text[PAGE_SIZE + 2];
    if (len == 0)
        snprintf(text, sizeof text, "(null)\n");
    else
        snprintf(text, sizeof text, "%.*s\n", (int) len, buf);
    char p[PATH_MAX];
    device_path(device, "driver_override", p, sizeof p);
    return write_text(p, text, 0644) < 0 ? -EIO : 0;
}

int device_held(int (*match)(const char *target, const void *arg), const void *arg)
{
    DIR *procs = opendir(proc_root);
    if (!procs)
        return 0;
    int held = 0;
    struct dirent *p;
    while (!held && (p = readdir(procs)) != NULL) {
        if (!isdigit((unsigned char) p->d_name[0]))
            continue;
        char fds[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
        PATHF(fds, "%s/%s/fd", proc_root, p->d_name);
        DIR *d = opendir(fds);
        if (!d)
            continue;
        struct dirent *fd;
        while (!held && (fd = readdir(d)) != NULL) {
            PATHF(link, "%s/%s", fds, fd->d_name);
            ssize_t n = readlink(link, target, sizeof target - 1);
            if (n > 0) {
                target[n] = 0;
                held = match(target, arg);
            }
        }
        closedir(d);
    }
    closedir(procs);
    return held;
}

static int same_path(const char *target, const void *device)
{
    return !strcmp(target, (const char *) device);
}

/* Whether a process (a VM's qemu) has the function's VFIO group device open. */
static int vfio_group_held(const char *addr)
{
    char link[PATH_MAX], target[PATH_MAX], device[64];
    device_path(addr, "iommu_group", link, sizeof link);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = 0;
    snprintf(device, sizeof device, "/dev/vfio/%s", strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
    return device_held(same_path, device);
}

int nvidia_gpu_in_use(const sim_gpu *g)
{
    char device[32];
    snprintf(device, sizeof device, "/dev/nvidia%d", g->index);
    return g->processes > 0 || device_held(same_path, device);
}

static int nvidia_gpu_held(const char *addr)
{
    int parent;
    sim_gpu *g = gpu_for_address(addr, &parent);
    return g && !strcmp(g->pci, addr) && nvidia_gpu_in_use(g);
}

/* /dev/snd/controlC<N>, pcmC<N>D..., hwC<N>D... of card N. */
static int sound_device_of(const char *target, const void *card)
{
    char prefix[48];
    int n = *(const int *) card;
    snprintf(prefix, sizeof prefix, "/dev/snd/controlC%d", n);
    if (!strcmp(target, prefix))
        return 1;
    snprintf(prefix, sizeof prefix, "/dev/snd/pcmC%dD", n);
    if (!strncmp(target, prefix, strlen(prefix)))
        return 1;
    snprintf(prefix, sizeof prefix, "/dev/snd/hwC%dD", n);
    return !strncmp(target, prefix, strlen(prefix));
}

static int sound_card_held(const char *addr)
{
    int card = audio_card(addr);
    return card >= 0 && device_held(sound_device_of, &card);
}

/*
 * The remove path of a driver that waits in the kernel while its device is in use: vfio-pci (vfio_unregister_group_dev),
 * nvidia (nv_pci_remove: "Attempting to remove device ... with non-zero usage count!", os_delay(500) until it drops),
 * snd_hda_intel (the card's users). The kernel waits forever; here EBUSY after UNBIND_WAIT_MS [simulator's choice].
 */
static int wait_until_unused(int (*in_use)(const char *addr), const char *addr)
{
    for (int waited = 0; in_use(addr); waited += 10) {
        if (waited >= UNBIND_WAIT_MS)
            return -EBUSY;
        usleep(10 * 1000);
    }
    return 0;
}

int unbind_lock_store(const char *addr, const char *buf, size_t count)
{
    int parent;
    sim_gpu *g = gpu_for_address(addr, &parent);
    if (!g || strcmp(g->pci, addr) != 0 || !gpu_on_nvidia(g))
        return -ENODEV;
    if (count > 0 && buf[count - 1] == '\n')
        count--;
    if (count != 1 || (buf[0] != '0' && buf[0] != '1'))
        return -EINVAL;
    char p[PATH_MAX], now[8];
    PATHF(p, "%s/driver/nvidia/gpus/%s/unbindLock", proc_root, addr);
    read_line(p, now, sizeof now);
    if (buf[0] == '1' && now[0] == '1')
        return 0;
    const char *value = buf[0] == '1' && !nvidia_gpu_in_use(g) ? "1\n" : "0\n";
    return write_text(p, value, 0644) < 0 ? -EIO : 0;
}

int driver_unbind_store(const char *driver, const char *buf, size_t count)
{
    char addr[16], bound[64];
    if (!device_by_name(buf, count, addr, sizeof addr))
        return -ENODEV;
    driver_of(addr, bound, sizeof bound);
    if (strcmp(bound, driver) != 0)
        return -ENODEV;
    int (*in_use)(const char *) = !strcmp(driver, DRIVER_VFIO_PCI) ? vfio_group_held
        : !strcmp(driver, DRIVER_NVIDIA) ? nvidia_gpu_held
        : !strcmp(driver, DRIVER_SND_HDA) ? sound_card_held : NULL;
    if (in_use && wait_until_unused(in_use, addr) < 0)
        return -EBUSY;
    if (!strcmp(driver, DRIVER_NVIDIA))
        nvidia_remove(addr);
    if (!strcmp(driver, DRIVER_SND_HDA))
        sound_card(addr, 0);
    unbind_driver(addr);
    return 0;
}

int driver_bind_store(const char *driver, const char *buf, size_t count)
{
    char addr[16], bound[64];
    if (!device_by_name(buf, count, addr, sizeof addr) || !driver_matches(driver, addr))
        return -ENODEV;
    driver_of(addr, bound, sizeof bound);
    if (bound[0])
        return -EBUSY;
    return probe(driver, addr);
}

int drivers_probe_store(const char *buf, size_t count)
{
    char addr[16], bound[64], override[256];
    if (!device_by_name(buf, count, addr, sizeof addr))
        return -ENODEV;
    driver_of(addr, bound, sizeof bound);
    if (bound[0])
        return 0;
    override_of(addr, override, sizeof override);
    const char *driver = override[0] ? override : id_table_driver(addr);
    if (driver && driver_exists(driver) && driver_matches(driver, addr))
        (void) probe(driver, addr);
    return 0;
}

int driver_core_files(void)
{
    static const char *const DRIVERS[] = { DRIVER_NVIDIA, DRIVER_VFIO_PCI, DRIVER_SND_HDA, DRIVER_IXGBE };
    char p[PATH_MAX];
    struct stat st;
    for (size_t i = 0; i < sizeof DRIVERS / sizeof DRIVERS[0]; i++) {
        PATHF(p, "%s/bus/pci/drivers/%s", sysfs_root, DRIVERS[i]);
        if (mkdir_p(p) < 0)
            return -1;
        PATHF(p, "%s/bus/pci/drivers/%s/bind", sysfs_root, DRIVERS[i]);
        if (lstat(p, &st) < 0 && write_text(p, "", 0200) < 0)
            return -1;
        PATHF(p, "%s/bus/pci/drivers/%s/unbind", sysfs_root, DRIVERS[i]);
        if (lstat(p, &st) < 0 && write_text(p, "", 0200) < 0)
            return -1;
    }
    PATHF(p, "%s/bus/pci/drivers_probe", sysfs_root);
    if (lstat(p, &st) < 0 && write_text(p, "", 0200) < 0)
        return -1;
    return 0;
}

int gpu_on_nvidia(const sim_gpu *g)
{
    char p[PATH_MAX], driver[64];
    struct stat st;
    if (!configured)
        return 1;
    device_path(g->pci, NULL, p, sizeof p);
    if (stat(p, &st) < 0)
        return 1;
    driver_of(g->pci, driver, sizeof driver);
    return !strcmp(driver, DRIVER_NVIDIA);
}
