/*
 * vgpusim: the simulated sysfs tree (PCI functions, SR-IOV VFs, mdev types or, with vgpu_framework=vfio, NVIDIA's
 * per-VF nvidia/creatable_vgpu_types and nvidia/current_vgpu_type) and raw kernel access.
 */
#include "vgpusim.h"

/* ---------------------------------------------------------------- raw kernel access ---------- */

int real_open(const char *path, int flags, mode_t mode)
{
    return (int) syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

ssize_t real_write(int fd, const void *buf, size_t count)
{
    return (ssize_t) syscall(SYS_write, fd, buf, count);
}

int real_close(int fd)
{
    return (int) syscall(SYS_close, fd);
}

int write_text(const char *path, const char *text, mode_t mode)
{
    int fd = real_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    ssize_t n = real_write(fd, text, len);
    real_close(fd);
    return n == (ssize_t) len ? 0 : -1;
}

static int read_int(const char *path, int *out)
{
    char buf[32];
    int fd = real_open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    real_close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    *out = atoi(buf);
    return 0;
}

int mkdir_p(const char *path)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            char child[PATH_MAX];
            while ((e = readdir(d)) != NULL) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                snprintf(child, sizeof child, "%s/%s", path, e->d_name);
                remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}


/* ---------------------------------------------------------------- topology -------------------- */

static void vf_address(const sim_gpu *g, int i, char *out, size_t len)
{
    unsigned devfn = ((g->dev << 3) | g->fn) + (unsigned) g->model->vf_offset + (unsigned) (g->model->vf_stride * i);
    unsigned bus = g->bus + (devfn >> 8);
    devfn &= 0xff;
    snprintf(out, len, "%04x:%02x:%02x.%x", g->domain, bus, devfn >> 3, devfn & 7);
}

int current_numvfs(const sim_gpu *g)
{
    char p[PATH_MAX];
    int n = 0;
    PATHF(p, "%s/bus/pci/devices/%s/sriov_numvfs", sysfs_root, g->pci);
    return read_int(p, &n) == 0 ? n : 0;
}

/* The mdev parents of a GPU: its enabled VFs on SR-IOV boards, else the PF itself. */
static int parent_count(const sim_gpu *g)
{
    if (g->model->type_count == 0)
        return 0;
    return g->model->sriov ? current_numvfs(g) : 1;
}

static void parent_address(const sim_gpu *g, int i, char *out, size_t len)
{
    if (g->model->sriov)
        vf_address(g, i, out, len);
    else
        snprintf(out, len, "%s", g->pci);
}

/* Finds the GPU whose PF or (possible) VF has this address; *parent gets the parent index or -1 for a PF. */
sim_gpu *gpu_for_address(const char *bdf, int *parent)
{
    char a[16];
    for (int i = 0; i < gpu_count; i++) {
        sim_gpu *g = &gpus[i];
        if (!strcmp(g->pci, bdf)) {
            *parent = g->model->sriov ? -1 : 0;
            return g;
        }
        if (g->model->sriov) {
            for (int v = 0; v < g->vfs; v++) {
                vf_address(g, v, a, sizeof a);
                if (!strcmp(a, bdf)) {
                    *parent = v;
                    return g;
                }
            }
        }
    }
    return NULL;
}

const vgpu_type *type_by_dir(const gpu_model *m, const char *dir)
{
    int id;
    char tail;
    if (sscanf(dir, "nvidia-%d%c", &id, &tail) != 1)
        return NULL;
    for (int i = 0; i < m->type_count; i++)
        if (m->types[i].id == id)
            return &m->types[i];
    return NULL;
}

const vgpu_type *type_by_id(const gpu_model *m, int id)
{
    for (int i = 0; i < m->type_count; i++)
        if (m->types[i].id == id)
            return &m->types[i];
    return NULL;
}

/* ---------------------------------------------------------------- vendor-specific VFIO ---------- */

int vfio_current_type(const sim_gpu *g, int vf)
{
    char addr[16], p[PATH_MAX];
    int id;
    vf_address(g, vf, addr, sizeof addr);
    PATHF(p, "%s/bus/pci/devices/%s/nvidia/current_vgpu_type", sysfs_root, addr);
    return read_int(p, &id) == 0 ? id : -1;
}

int vfio_set_current(const sim_gpu *g, int vf, int id)
{
    char addr[16], p[PATH_MAX], text[16];
    vf_address(g, vf, addr, sizeof addr);
    PATHF(p, "%s/bus/pci/devices/%s/nvidia/current_vgpu_type", sysfs_root, addr);
    snprintf(text, sizeof text, "%d\n", id);
    return write_text(p, text, 0644);
}

/* What the VFs of a vendor-VFIO GPU run, from their current_vgpu_type files (gpu_usage as scan_gpu fills it). */
static void vfio_scan(const sim_gpu *g, gpu_usage *u)
{
    int vfs = current_numvfs(g);
    for (int i = 0; i < vfs && i < 64; i++) {
        const vgpu_type *t = type_by_id(g->model, vfio_current_type(g, i));
        if (!t)
            continue;
        u->count++;
        u->fb_gib = t->fb_gib;
        u->fb_total_gib += (unsigned long long) t->fb_gib;
        u->parent_busy[i] = 1;
    }
}

/*
 * nvidia/creatable_vgpu_types of every VF: a header line, then "<id> : <name>" for each type creatable on that VF
 * now, by the same equal-size rule as the mdev available_instances (a VF with a vGPU lists none).
 */
static void vfio_refresh_creatable(const sim_gpu *g, const gpu_usage *u)
{
    int vfs = current_numvfs(g);
    char addr[16], p[PATH_MAX], line[160];
    for (int i = 0; i < vfs; i++) {
        size_t cap = 64 + (size_t) g->model->type_count * sizeof line;
        char *text = malloc(cap);
        if (!text)
            return;
        size_t len = (size_t) snprintf(text, cap, "ID    : vGPU Name\n");
        for (int t = 0; t < g->model->type_count; t++) {
            const vgpu_type *vt = &g->model->types[t];
            if (available(g, u, i, vt) == 0)
                continue;
            int n = snprintf(line, sizeof line, "%d : %s-%s\n", vt->id, g->model->name, vt->suffix);
            memcpy(text + len, line, (size_t) n + 1);
            len += (size_t) n;
        }
        vf_address(g, i, addr, sizeof addr);
        PATHF(p, "%s/bus/pci/devices/%s/nvidia/creatable_vgpu_types", sysfs_root, addr);
        write_text(p, text, 0444);
        free(text);
    }
}

int create_vfio_vf(const char *addr)
{
    char p[PATH_MAX];
    PATHF(p, "%s/bus/pci/devices/%s/nvidia", sysfs_root, addr);
    if (mkdir_p(p) < 0)
        return -1;
    PATHF(p, "%s/bus/pci/devices/%s/nvidia/current_vgpu_type", sysfs_root, addr);
    return write_text(p, "0\n", 0644);
}

/*
 * The attributes every PCI function has that the driver core uses: vendor, device, class and driver_override (unset:
 * "(null)", as the kernel shows it). Existing files are kept: a reused tree keeps its overrides.
 */
void pci_function_files(const sim_gpu *g, const char *addr)
{
    char p[PATH_MAX], text[32];
    struct stat st;
    PATHF(p, "%s/bus/pci/devices/%s/vendor", sysfs_root, addr);
    if (lstat(p, &st) < 0)
        write_text(p, "0x10de\n", 0444);
    PATHF(p, "%s/bus/pci/devices/%s/device", sysfs_root, addr);
    if (lstat(p, &st) < 0) {
        snprintf(text, sizeof text, "0x%04x\n", g->model->pci_device_id >> 16);
        write_text(p, text, 0444);
    }
    PATHF(p, "%s/bus/pci/devices/%s/class", sysfs_root, addr);
    if (lstat(p, &st) < 0)
        write_text(p, "0x030200\n", 0444);     /* 3D controller, as data-centre boards report */
    PATHF(p, "%s/bus/pci/devices/%s/driver_override", sysfs_root, addr);
    if (lstat(p, &st) < 0)
        write_text(p, "(null)\n", 0644);
}

/* The driver link of a function and the driver's link back to it, as device_bind_driver makes them. */
void bind_driver(const char *addr, const char *driver)
{
    char link[PATH_MAX], target[PATH_MAX];
    unbind_driver(addr);
    PATHF(link, "%s/bus/pci/devices/%s/driver", sysfs_root, addr);
    PATHF(target, "../../drivers/%s", driver);
    symlink(target, link);
    PATHF(link, "%s/bus/pci/drivers/%s/%s", sysfs_root, driver, addr);
    PATHF(target, "../../devices/%s", addr);
    symlink(target, link);
}

void unbind_driver(const char *addr)
{
    char link[PATH_MAX], target[PATH_MAX];
    PATHF(link, "%s/bus/pci/devices/%s/driver", sysfs_root, addr);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return;
    target[n] = 0;
    const char *driver = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    char back[PATH_MAX];
    PATHF(back, "%s/bus/pci/drivers/%s/%s", sysfs_root, driver, addr);
    unlink(back);
    unlink(link);
}

/*
 * Trees built by older simulators: no class or driver_override, and a driver link that pointed one level too high
 * (so that <device>/driver/unbind did not resolve).
 */
static void upgrade_function(const sim_gpu *g, const char *addr)
{
    char link[PATH_MAX], target[PATH_MAX];
    pci_function_files(g, addr);
    PATHF(link, "%s/bus/pci/devices/%s/driver", sysfs_root, addr);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n > 0) {
        target[n] = 0;
        if (!strncmp(target, "../../../bus/pci/drivers/", 25)) {
            unlink(link);
            bind_driver(addr, target + 25);
        }
    }
}

/* Devices stay bound to nvidia on both frameworks (vendor-VFIO VFs too: nvidia.ko is their VFIO provider). */
static void bind_nvidia(const char *addr)
{
    bind_driver(addr, "nvidia");
}

void scan_gpu(const sim_gpu *g, gpu_usage *u)
{
    memset(u, 0, sizeof *u);
    if (vgpu_framework_vfio) {
        if (g->model->sriov && g->model->type_count > 0)
            vfio_scan(g, u);
        return;
    }
    int parents = parent_count(g);
    char addr[16], p[PATH_MAX];
    for (int i = 0; i < parents && i < 64; i++) {
        parent_address(g, i, addr, sizeof addr);
        for (int t = 0; t < g->model->type_count; t++) {
            const vgpu_type *vt = &g->model->types[t];
            PATHF(p, "%s/bus/pci/devices/%s/mdev_supported_types/nvidia-%d/devices", sysfs_root, addr, vt->id);
            DIR *d = opendir(p);
            if (!d)
                continue;
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.')
                    continue;
                u->count++;
                u->fb_gib = vt->fb_gib;
                u->fb_total_gib += (unsigned long long) vt->fb_gib;
                u->parent_busy[i] = 1;
            }
            closedir(d);
        }
    }
}

/*
 * available_instances as the vGPU manager reports it, in equal-size mode: once a GPU runs vGPUs only
 * types of that framebuffer size stay creatable, up to the type's per-GPU maximum, and on SR-IOV boards
 * each VF hosts at most one vGPU.
 */
int available(const sim_gpu *g, const gpu_usage *u, int parent, const vgpu_type *t)
{
    if (u->count > 0 && u->fb_gib != t->fb_gib)
        return 0;
    int left = t->max_instances - u->count;
    if (left < 0)
        left = 0;
    if (g->model->sriov)
        return (parent < 64 && u->parent_busy[parent]) ? 0 : (left > 0);
    return left;
}

void refresh_available(const sim_gpu *g)
{
    gpu_usage u;
    scan_gpu(g, &u);
    if (vgpu_framework_vfio) {
        if (g->model->sriov && g->model->type_count > 0)
            vfio_refresh_creatable(g, &u);
        return;
    }
    int parents = parent_count(g);
    char addr[16], p[PATH_MAX], v[16];
    for (int i = 0; i < parents; i++) {
        parent_address(g, i, addr, sizeof addr);
        for (int t = 0; t < g->model->type_count; t++) {
            const vgpu_type *vt = &g->model->types[t];
            PATHF(p, "%s/bus/pci/devices/%s/mdev_supported_types/nvidia-%d/available_instances", sysfs_root, addr, vt->id);
            snprintf(v, sizeof v, "%d\n", available(g, &u, i, vt));
            write_text(p, v, 0444);
        }
    }
}

int create_parent(const sim_gpu *g, const char *addr)
{
    char p[PATH_MAX], text[256];
    for (int t = 0; t < g->model->type_count; t++) {
        const vgpu_type *vt = &g->model->types[t];
        char dir[PATH_MAX];
        PATHF(dir, "%s/bus/pci/devices/%s/mdev_supported_types/nvidia-%d", sysfs_root, addr, vt->id);
        PATHF(p, "%s/devices", dir);
        if (mkdir_p(p) < 0)
            return -1;
        PATHF(p, "%s/name", dir);
        snprintf(text, sizeof text, "%s-%s\n", g->model->name, vt->suffix);
        write_text(p, text, 0444);
        PATHF(p, "%s/description", dir);
        snprintf(text, sizeof text, "num_heads=%d, frl_config=%d, framebuffer=%dM, max_resolution=%s, max_instance=%d\n",
                 vt->heads, vt->frl, vt->fb_gib * 1024, vt->max_resolution, vt->max_instances);
        write_text(p, text, 0444);
        PATHF(p, "%s/device_api", dir);
        write_text(p, "vfio-pci\n", 0444);
        PATHF(p, "%s/available_instances", dir);
        write_text(p, "0\n", 0444);
        PATHF(p, "%s/create", dir);
        write_text(p, "", 0200);
    }
    char link[PATH_MAX], target[PATH_MAX];
    PATHF(link, "%s/class/mdev_bus/%s", sysfs_root, addr);
    PATHF(target, "../../bus/pci/devices/%s", addr);
    unlink(link);
    return symlink(target, link);
}

int enable_vfs(const sim_gpu *g, int n)
{
    char vf[16], p[PATH_MAX], target[PATH_MAX], num[16];
    for (int i = 0; i < n; i++) {
        vf_address(g, i, vf, sizeof vf);
        PATHF(p, "%s/bus/pci/devices/%s", sysfs_root, vf);
        if (mkdir_p(p) < 0)
            return -1;
        PATHF(p, "%s/bus/pci/devices/%s/physfn", sysfs_root, vf);
        PATHF(target, "../%s", g->pci);
        unlink(p);
        symlink(target, p);
        PATHF(p, "%s/bus/pci/devices/%s/virtfn%d", sysfs_root, g->pci, i);
        PATHF(target, "../%s", vf);
        unlink(p);
        symlink(target, p);
        pci_function_files(g, vf);
        bind_nvidia(vf);
        vf_iommu_group(g, i, vf, 1);
        if ((vgpu_framework_vfio ? create_vfio_vf(vf) : create_parent(g, vf)) < 0)
            return -1;
    }
    PATHF(p, "%s/bus/pci/devices/%s/sriov_numvfs", sysfs_root, g->pci);
    snprintf(num, sizeof num, "%d\n", n);
    write_text(p, num, 0644);
    refresh_available(g);
    return 0;
}

void disable_vfs(const sim_gpu *g, int n)
{
    char vf[16], p[PATH_MAX];
    for (int i = 0; i < n; i++) {
        vf_address(g, i, vf, sizeof vf);
        PATHF(p, "%s/class/mdev_bus/%s", sysfs_root, vf);
        unlink(p);
        PATHF(p, "%s/bus/pci/devices/%s/virtfn%d", sysfs_root, g->pci, i);
        unlink(p);
        PATHF(p, "%s/bus/pci/devices/%s", sysfs_root, vf);
        remove_tree(p);
        vf_iommu_group(g, i, vf, 0);
    }
    PATHF(p, "%s/bus/pci/devices/%s/sriov_numvfs", sysfs_root, g->pci);
    write_text(p, "0\n", 0644);
}

int boot_gpu(const sim_gpu *g)
{
    char p[PATH_MAX], text[32];
    struct stat st;
    PATHF(p, "%s/bus/pci/devices/%s", sysfs_root, g->pci);
    if (stat(p, &st) == 0) {             /* the host is already up: keep its VFs, mdevs and driver bindings */
        upgrade_function(g, g->pci);
        char vf[16];
        for (int i = 0; g->model->sriov && i < current_numvfs(g); i++) {
            vf_address(g, i, vf, sizeof vf);
            upgrade_function(g, vf);
        }
        refresh_available(g);
        return 0;
    }
    if (mkdir_p(p) < 0)
        return -1;
    pci_function_files(g, g->pci);
    bind_nvidia(g->pci);
    if (g->model->sriov) {
        PATHF(p, "%s/bus/pci/devices/%s/sriov_totalvfs", sysfs_root, g->pci);
        snprintf(text, sizeof text, "%d\n", g->vfs);
        write_text(p, text, 0444);
        PATHF(p, "%s/bus/pci/devices/%s/sriov_numvfs", sysfs_root, g->pci);
        write_text(p, "0\n", 0644);
        /* sriov-manage -e ALL, from a unit that may not be enabled (sriov_at_boot=off) */
        return g->vfs > 0 && g->model->type_count > 0 && g->sriov_at_boot ? enable_vfs(g, g->vfs) : 0;
    }
    if (g->model->type_count > 0 && !vgpu_framework_vfio) {   /* vendor-VFIO has no vGPUs on non-SR-IOV boards */
        if (create_parent(g, g->pci) < 0)
            return -1;
        refresh_available(g);
    }
    return 0;
}

