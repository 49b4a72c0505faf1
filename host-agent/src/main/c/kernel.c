/*
 * vgpusim: the simulated kernel. open/write/close with libc's signatures; writes to mdev create/remove,
 * sriov_numvfs, (vendor-specific VFIO) nvidia/current_vgpu_type and the PCI driver core's driver_override,
 * drivers/<driver>/bind|unbind and drivers_probe (driver.c) under the simulated sysfs root, and the nvidia driver's
 * /proc/driver/nvidia/gpus/<bdf>/unbindLock in the simulated procfs (driver.c), behave as the kernel and
 * the vGPU manager would.
 */
#include "vgpusim.h"

/* ---------------------------------------------------------------- simulated kernel ------------- */

enum {
    ATTR_CREATE = 1, ATTR_REMOVE, ATTR_SRIOV_NUMVFS, ATTR_CURRENT_VGPU_TYPE, ATTR_DRIVER_OVERRIDE, ATTR_DRIVER_BIND,
    ATTR_DRIVER_UNBIND, ATTR_DRIVERS_PROBE, ATTR_UNBIND_LOCK,
};

typedef struct {
    int fd;                      /* a real descriptor on /dev/null, so numbers never collide */
    int kind;
    char device[16];             /* parent / PF BDF */
    char name[64];               /* type dir, mdev UUID or driver */
} sim_file;

#define MAX_SIM_FILES 64
static sim_file sim_files[MAX_SIM_FILES];

static int is_uuid(const char *s)
{
    if (strlen(s) != UUID_LEN)
        return 0;
    for (int i = 0; i < UUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!isxdigit((unsigned char) s[i])) {
            return 0;
        }
    }
    return 1;
}

/* The nvidia driver's procfs files by canonical path: /proc/driver/nvidia/gpus/<bdf>/unbindLock. */
static int classify_proc(const char *real, sim_file *out)
{
    char proc_real[PATH_MAX], copy[PATH_MAX];
    if (!realpath(proc_root, proc_real))
        return 0;
    size_t pl = strlen(proc_real);
    if (strncmp(real, proc_real, pl) != 0 || real[pl] != '/')
        return 0;
    snprintf(copy, sizeof copy, "%s", real + pl + 1);
    char *parts[8];
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, "/", &save); tok && n < 8; tok = strtok_r(NULL, "/", &save))
        parts[n++] = tok;
    if (n != 5 || strcmp(parts[0], "driver") || strcmp(parts[1], "nvidia") || strcmp(parts[2], "gpus")
        || strcmp(parts[4], "unbindLock") || strlen(parts[3]) >= sizeof out->device)
        return 0;
    memset(out, 0, sizeof *out);
    out->kind = ATTR_UNBIND_LOCK;
    snprintf(out->device, sizeof out->device, "%s", parts[3]);
    return 1;
}

/* Recognises the kernel attribute files by their canonical path (symlinks resolved) under the root. */
static int classify(const char *path, sim_file *out)
{
    char real[PATH_MAX], root_real[PATH_MAX];
    if (!configured || !realpath(path, real))
        return 0;
    if (classify_proc(real, out))
        return 1;
    if (!realpath(sysfs_root, root_real))
        return 0;
    size_t rl = strlen(root_real);
    if (strncmp(real, root_real, rl) != 0 || real[rl] != '/')
        return 0;
    char *parts[8];
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(real + rl + 1, "/", &save); tok && n < 8; tok = strtok_r(NULL, "/", &save))
        parts[n++] = tok;
    if (n < 3 || strcmp(parts[0], "bus") || strcmp(parts[1], "pci"))
        return 0;
    memset(out, 0, sizeof *out);
    if (n == 3 && !strcmp(parts[2], "drivers_probe")) {
        out->kind = ATTR_DRIVERS_PROBE;
        return 1;
    }
    if (n == 5 && !strcmp(parts[2], "drivers") && strlen(parts[3]) < sizeof out->name
        && (!strcmp(parts[4], "bind") || !strcmp(parts[4], "unbind"))) {
        out->kind = !strcmp(parts[4], "bind") ? ATTR_DRIVER_BIND : ATTR_DRIVER_UNBIND;
        snprintf(out->name, sizeof out->name, "%s", parts[3]);
        return 1;
    }
    if (n < 5 || strcmp(parts[2], "devices") || strlen(parts[3]) >= sizeof out->device)
        return 0;
    snprintf(out->device, sizeof out->device, "%s", parts[3]);
    if (n == 5 && !strcmp(parts[4], "driver_override")) {
        out->kind = ATTR_DRIVER_OVERRIDE;
    } else if (n == 5 && !strcmp(parts[4], "sriov_numvfs")) {
        out->kind = ATTR_SRIOV_NUMVFS;
    } else if (n == 7 && !strcmp(parts[4], "mdev_supported_types") && !strcmp(parts[6], "create")
               && strlen(parts[5]) < sizeof out->name) {
        out->kind = ATTR_CREATE;
        snprintf(out->name, sizeof out->name, "%s", parts[5]);
    } else if (n == 6 && !strcmp(parts[4], "nvidia") && !strcmp(parts[5], "current_vgpu_type")) {
        out->kind = ATTR_CURRENT_VGPU_TYPE;
    } else if (n == 6 && is_uuid(parts[4]) && !strcmp(parts[5], "remove")) {
        out->kind = ATTR_REMOVE;
        snprintf(out->name, sizeof out->name, "%s", parts[4]);
    } else {
        return 0;
    }
    return 1;
}

/* kstrtoul/kstrtou16 as the kernel parses sysfs input: base 0, an optional single trailing newline. */
static int kstrtoul(const char *buf, size_t count, unsigned long max, unsigned long *out)
{
    char text[32];
    if (count == 0 || count >= sizeof text)
        return -EINVAL;
    memcpy(text, buf, count);
    text[count] = 0;
    if (text[count - 1] == '\n')
        text[--count] = 0;
    if (count == 0 || !isdigit((unsigned char) text[0]))
        return -EINVAL;
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 0);
    if (*end)
        return -EINVAL;
    if (errno == ERANGE || v > max)
        return -ERANGE;
    *out = v;
    return 0;
}

/* mdev core create_store + the vendor driver's create callback. */
static int do_create(const sim_file *f, const char *buf, size_t count)
{
    int parent;
    sim_gpu *g = gpu_for_address(f->device, &parent);
    if (!g || parent < 0)
        return -ENODEV;
    const vgpu_type *t = type_by_dir(g->model, f->name);
    if (!t)
        return -ENODEV;
    if (count < UUID_LEN || count > UUID_LEN + 1)
        return -EINVAL;
    char uuid[UUID_LEN + 1];
    memcpy(uuid, buf, UUID_LEN);
    uuid[UUID_LEN] = 0;
    if (!is_uuid(uuid))
        return -EINVAL;
    for (char *c = uuid; *c; c++)
        *c = (char) tolower((unsigned char) *c);

    char p[PATH_MAX], target[PATH_MAX];
    struct stat st;
    PATHF(p, "%s/bus/mdev/devices/%s", sysfs_root, uuid);
    if (lstat(p, &st) == 0)
        return -EEXIST;
    gpu_usage u;
    scan_gpu(g, &u);
    /*
     * No capacity left. The upstream mdev core answers -EUSERS for drivers that let it count instances;
     * NVIDIA's out-of-tree vendor driver does its own accounting and its errno is not documented, so the
     * simulator answers -ENOSPC ("No space left on device"), as mdev vendor drivers such as i915 GVT-g do.
     */
    if (available(g, &u, parent, t) == 0)
        return -ENOSPC;

    PATHF(p, "%s/bus/pci/devices/%s/%s", sysfs_root, f->device, uuid);
    if (mkdir(p, 0755) < 0)
        return -errno;
    PATHF(p, "%s/bus/pci/devices/%s/%s/remove", sysfs_root, f->device, uuid);
    write_text(p, "", 0200);
    PATHF(p, "%s/bus/pci/devices/%s/%s/mdev_type", sysfs_root, f->device, uuid);
    PATHF(target, "../mdev_supported_types/%s", f->name);
    symlink(target, p);
    PATHF(p, "%s/bus/pci/devices/%s/mdev_supported_types/%s/devices/%s", sysfs_root, f->device, f->name, uuid);
    PATHF(target, "../../../%s", uuid);
    symlink(target, p);
    PATHF(p, "%s/bus/mdev/devices/%s", sysfs_root, uuid);
    PATHF(target, "../../pci/devices/%s/%s", f->device, uuid);
    symlink(target, p);
    refresh_available(g);
    vgpu_created(g, t, f->device, uuid);
    return 0;
}

/* mdev core remove_store: "1" removes the device, "0" is accepted and does nothing. */
static int do_remove(const sim_file *f, const char *buf, size_t count)
{
    unsigned long v;
    int rc = kstrtoul(buf, count, ULONG_MAX, &v);
    if (rc < 0)
        return -EINVAL;
    if (v == 0)
        return 0;
    return mdev_remove(f->device, f->name);
}

int mdev_remove(const char *parent_addr, const char *uuid)
{
    int parent;
    sim_gpu *g = gpu_for_address(parent_addr, &parent);
    char p[PATH_MAX], type[PATH_MAX];
    PATHF(p, "%s/bus/pci/devices/%s/%s/mdev_type", sysfs_root, parent_addr, uuid);
    ssize_t n = readlink(p, type, sizeof type - 1);
    if (n < 0)
        return -ENODEV;
    type[n] = 0;
    const char *type_dir = strrchr(type, '/') ? strrchr(type, '/') + 1 : type;
    PATHF(p, "%s/bus/pci/devices/%s/mdev_supported_types/%s/devices/%s", sysfs_root, parent_addr, type_dir, uuid);
    unlink(p);
    PATHF(p, "%s/bus/mdev/devices/%s", sysfs_root, uuid);
    unlink(p);
    PATHF(p, "%s/bus/pci/devices/%s/%s", sysfs_root, parent_addr, uuid);
    remove_tree(p);
    vgpu_removed(uuid);
    if (g)
        refresh_available(g);
    return 0;
}

/* drivers/pci/iov.c sriov_numvfs_store. */
static int do_numvfs(const sim_file *f, const char *buf, size_t count)
{
    unsigned long n;
    int rc = kstrtoul(buf, count, 0xffff, &n);
    if (rc < 0)
        return rc;
    int parent;
    sim_gpu *g = gpu_for_address(f->device, &parent);
    if (!g || parent != -1)
        return -ENOENT;
    if ((int) n > g->vfs)
        return -ERANGE;
    int current = current_numvfs(g);
    if ((int) n == current)
        return 0;
    if (n == 0) {
        gpu_usage u;
        scan_gpu(g, &u);
        /* The vGPU manager cannot take VFs away under running vGPUs [simulator's choice]. */
        if (u.count > 0)
            return -EBUSY;
        disable_vfs(g, current);
        return 0;
    }
    if (current != 0)
        return -EBUSY;      /* "%d VFs already enabled. Disable before enabling %d VFs" */
    return enable_vfs(g, (int) n) < 0 ? -EIO : 0;
}

/*
 * NVIDIA's vendor-specific VFIO framework: a store to <VF>/nvidia/current_vgpu_type. The driver is closed source and
 * documents no errno, so these are the simulator's choices, each the errno the kernel's own sysfs stores use for
 * the same condition:
 *   not a decimal number (kstrtouint, base 10)       -> EINVAL (ERANGE above 32 bits, as kstrtouint answers)
 *   0 on a VF with a vGPU                            -> destroys it; 0 on a free VF is accepted and does nothing
 *   an id while the VF already has a vGPU (any id,   -> EBUSY: a VF hosts one vGPU, and re-creating the current type
 *     the current one included)                         would be a second vGPU; clear with 0 first
 *   an id not in the VF's creatable_vgpu_types now   -> EINVAL (unknown type, other size in use, GPU full)
 * The creatable lists of the VF and all its siblings follow every change.
 */
static int do_current_vgpu_type(const sim_file *f, const char *buf, size_t count)
{
    int vf;
    sim_gpu *g = gpu_for_address(f->device, &vf);
    if (!vgpu_framework_vfio || !g || vf < 0 || vf >= current_numvfs(g))
        return -ENODEV;
    char text[32];
    if (count == 0 || count >= sizeof text)
        return -EINVAL;
    memcpy(text, buf, count);
    text[count] = 0;
    for (size_t i = 0; i < count; i++)
        if (!isdigit((unsigned char) text[i]) && !(i == count - 1 && text[i] == '\n'))
            return -EINVAL;
    if (text[count - 1] == '\n')
        text[--count] = 0;
    if (count == 0)
        return -EINVAL;
    errno = 0;
    unsigned long id = strtoul(text, NULL, 10);
    if (errno == ERANGE || id > 0xffffffffUL)
        return -ERANGE;
    int current = vfio_current_type(g, vf);
    if (current < 0)
        return -ENODEV;
    if (id == 0) {
        if (current != 0) {
            vfio_set_current(g, vf, 0);
            refresh_available(g);
        }
        return 0;
    }
    if (current != 0)
        return -EBUSY;
    const vgpu_type *t = type_by_id(g->model, (int) id);
    gpu_usage u;
    scan_gpu(g, &u);
    if (!t || id > INT_MAX || available(g, &u, vf, t) == 0)
        return -EINVAL;
    if (vfio_set_current(g, vf, (int) id) < 0)
        return -EIO;
    refresh_available(g);
    return 0;
}

/*
 * Like libc, errno changes only on failure: JNA reports any non-zero errno after the call as an error, and the
 * simulator's own bookkeeping (realpath, stat of absent files) leaves errno set on success.
 */
EXPORT int open(const char *path, int flags, ...)
{
    int saved_errno = errno;
    mode_t mode = 0;
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t) va_arg(ap, int);
        va_end(ap);
    }
    if ((flags & O_ACCMODE) != O_RDONLY) {
        sim_file f;
        pthread_mutex_lock(&lock);
        int sim = classify(path, &f);
        int slot = -1;
        for (int i = 0; sim && i < MAX_SIM_FILES; i++)
            if (sim_files[i].kind == 0) {
                slot = i;
                break;
            }
        if (sim && slot >= 0) {
            int fd = real_open("/dev/null", O_WRONLY | O_CLOEXEC, 0);
            int open_errno = errno;
            if (fd >= 0) {
                f.fd = fd;
                sim_files[slot] = f;
            }
            pthread_mutex_unlock(&lock);
            errno = fd >= 0 ? saved_errno : open_errno;
            return fd;
        }
        pthread_mutex_unlock(&lock);
        if (sim) {
            errno = EMFILE;
            return -1;
        }
        errno = saved_errno;
    }
    return real_open(path, flags, mode);
}

EXPORT ssize_t write(int fd, const void *buf, size_t count)
{
    int saved_errno = errno;
    pthread_mutex_lock(&lock);
    sim_file *f = NULL;
    for (int i = 0; i < MAX_SIM_FILES; i++)
        if (sim_files[i].kind != 0 && sim_files[i].fd == fd)
            f = &sim_files[i];
    if (!f) {
        pthread_mutex_unlock(&lock);
        return real_write(fd, buf, count);
    }
    int rc;
    if (!buf)
        rc = -EFAULT;
    else if (f->kind == ATTR_CREATE)
        rc = do_create(f, buf, count);
    else if (f->kind == ATTR_REMOVE)
        rc = do_remove(f, buf, count);
    else if (f->kind == ATTR_CURRENT_VGPU_TYPE)
        rc = do_current_vgpu_type(f, buf, count);
    else if (f->kind == ATTR_DRIVER_OVERRIDE)
        rc = driver_override_store(f->device, buf, count);
    else if (f->kind == ATTR_DRIVER_BIND)
        rc = driver_bind_store(f->name, buf, count);
    else if (f->kind == ATTR_DRIVER_UNBIND)
        rc = driver_unbind_store(f->name, buf, count);
    else if (f->kind == ATTR_DRIVERS_PROBE)
        rc = drivers_probe_store(buf, count);
    else if (f->kind == ATTR_UNBIND_LOCK)
        rc = unbind_lock_store(f->device, buf, count);
    else
        rc = do_numvfs(f, buf, count);
    pthread_mutex_unlock(&lock);
    errno = rc < 0 ? -rc : saved_errno;
    return rc < 0 ? -1 : (ssize_t) count;
}

EXPORT int close(int fd)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MAX_SIM_FILES; i++)
        if (sim_files[i].kind != 0 && sim_files[i].fd == fd)
            memset(&sim_files[i], 0, sizeof sim_files[i]);
    pthread_mutex_unlock(&lock);
    return real_close(fd);
}

