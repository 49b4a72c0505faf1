/*
 * vgpusim: the GPU side of a simulated vGPU host, in one shared library.
 *
 *  1. The NVML C ABI (the subset the agent uses) for simulated GPUs, exported under the real
 *     (versioned) symbol names and return codes of nvml.h, so the agent's JNA binding is the same
 *     binding that runs against libnvidia-ml.so.1.
 *  2. A simulated kernel for the sysfs attribute files the agent writes: the library exports
 *     open/write/close with libc's signatures. The agent loads its libc binding from "c" on a real host
 *     and from "vgpusim" in simulation. Writes to mdev create/remove and sriov_numvfs files under the
 *     configured simulated sysfs root behave like the kernel (and the NVIDIA vGPU manager) would;
 *     every other path goes to the real kernel through syscall(2).
 *  3. vgpusim_configure/vgpusim_boot: load the host description file and build the simulated sysfs
 *     tree the way the kernel and `sriov-manage -e ALL` would at boot (an existing tree is reused).
 *     Boot also resets the GPUs for MIG (mig.c): a pending MIG mode becomes current, instances are gone.
 *
 * MIG (mode, GPU and compute instances, MIG device handles) lives in mig.c; shared types in vgpusim.h.
 *
 * Never call libc's open/write/close from here: they are this library's own symbols.
 */
#include "vgpusim.h"

/* ---------------------------------------------------------------- model table ---------------- */


#define Q(id, gb, max) { id, #gb "Q", gb, 4, 60, "7680x4320", max }
#define B(id, gb, max) { id, #gb "B", gb, 4, 45, "5120x2880", max }
#define C(id, gb, max) { id, #gb "C", gb, 1, 60, "4096x2400", max }

/*
 * A40 (GA102, 48 GB). Maximum instances per reference §5.4 (C-series from NVIDIA's AI Enterprise
 * tables; Q/B from the driver-reported max_instance of the same-silicon RTX A6000 profile set).
 * The numeric type ids are the simulator's own; real ids depend on the driver release, which is why
 * the agent always resolves a type by its name, never by its number.
 */
static const vgpu_type A40_TYPES[] = {
    B(550, 1, 32), B(551, 2, 24),
    Q(552, 1, 32), Q(553, 2, 24), Q(554, 3, 16), Q(555, 4, 12), Q(556, 6, 8), Q(557, 8, 6),
    Q(558, 12, 4), Q(559, 16, 3), Q(560, 24, 2), Q(561, 48, 1),
    C(562, 4, 12), C(563, 6, 8), C(564, 8, 6), C(565, 12, 4), C(566, 16, 3), C(567, 24, 2), C(568, 48, 1),
};

/*
 * Add further models here (non-SR-IOV T4 with mdevs on the PF, passthrough-only boards). The MIG boards are
 * simulated for MIG only (mig.c): no vGPU types, no VFs.
 */
static const gpu_model MODELS[] = {
    { "A40", "NVIDIA A40", 0x223510DE, 0x145A10DE, 46068, 1, 32, 4, 1,
      A40_TYPES, (int) (sizeof A40_TYPES / sizeof A40_TYPES[0]), NULL },
    { "A100-40GB", "NVIDIA A100-SXM4-40GB", 0x20B010DE, 0x134F10DE, 40960, 0, 0, 0, 0, NULL, 0, &MIG_A100_40GB },
    { "A100-80GB", "NVIDIA A100 80GB PCIe", 0x20B510DE, 0x153310DE, 81920, 0, 0, 0, 0, NULL, 0, &MIG_A100_80GB },
    { "H100-80GB", "NVIDIA H100 PCIe", 0x233110DE, 0x162610DE, 81559, 0, 0, 0, 0, NULL, 0, &MIG_H100_80GB },
    { "A30", "NVIDIA A30", 0x20B710DE, 0x153210DE, 24576, 0, 0, 0, 0, NULL, 0, &MIG_A30 },
};
#define MODEL_COUNT ((int) (sizeof MODELS / sizeof MODELS[0]))

/* ---------------------------------------------------------------- host state ----------------- */


pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
sim_gpu gpus[MAX_GPUS];
int gpu_count;
static int configured;
int nvml_refs;
static char sysfs_root[PATH_MAX];
static char last_error[512];

/* ---------------------------------------------------------------- raw kernel access ---------- */

static int real_open(const char *path, int flags, mode_t mode)
{
    return (int) syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

static ssize_t real_write(int fd, const void *buf, size_t count)
{
    return (ssize_t) syscall(SYS_write, fd, buf, count);
}

static int real_close(int fd)
{
    return (int) syscall(SYS_close, fd);
}

static int write_text(const char *path, const char *text, mode_t mode)
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

static int mkdir_p(const char *path)
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

static void remove_tree(const char *path)
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

#define PATHF(buf, ...) snprintf(buf, sizeof buf, __VA_ARGS__)

/* ---------------------------------------------------------------- topology -------------------- */

static void vf_address(const sim_gpu *g, int i, char *out, size_t len)
{
    unsigned devfn = ((g->dev << 3) | g->fn) + (unsigned) g->model->vf_offset + (unsigned) (g->model->vf_stride * i);
    unsigned bus = g->bus + (devfn >> 8);
    devfn &= 0xff;
    snprintf(out, len, "%04x:%02x:%02x.%x", g->domain, bus, devfn >> 3, devfn & 7);
}

static int current_numvfs(const sim_gpu *g)
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
static sim_gpu *gpu_for_address(const char *bdf, int *parent)
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

static const vgpu_type *type_by_dir(const gpu_model *m, const char *dir)
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

/* What exists on a GPU right now, read back from the tree (the tree survives process restarts). */
typedef struct {
    int count;
    int fb_gib;                 /* framebuffer size in use (equal-size mode), 0 when none */
    unsigned long long fb_total_gib;
    unsigned char parent_busy[64];
} gpu_usage;

static void scan_gpu(const sim_gpu *g, gpu_usage *u)
{
    memset(u, 0, sizeof *u);
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
static int available(const sim_gpu *g, const gpu_usage *u, int parent, const vgpu_type *t)
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

static void refresh_available(const sim_gpu *g)
{
    gpu_usage u;
    scan_gpu(g, &u);
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

static int create_parent(const sim_gpu *g, const char *addr)
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

static int enable_vfs(const sim_gpu *g, int n)
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
        if (create_parent(g, vf) < 0)
            return -1;
    }
    PATHF(p, "%s/bus/pci/devices/%s/sriov_numvfs", sysfs_root, g->pci);
    snprintf(num, sizeof num, "%d\n", n);
    write_text(p, num, 0644);
    refresh_available(g);
    return 0;
}

static void disable_vfs(const sim_gpu *g, int n)
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
    }
    PATHF(p, "%s/bus/pci/devices/%s/sriov_numvfs", sysfs_root, g->pci);
    write_text(p, "0\n", 0644);
}

static int boot_gpu(const sim_gpu *g)
{
    char p[PATH_MAX], text[32];
    struct stat st;
    PATHF(p, "%s/bus/pci/devices/%s", sysfs_root, g->pci);
    if (stat(p, &st) == 0) {             /* the host is already up: keep its VFs and mdevs */
        refresh_available(g);
        return 0;
    }
    if (mkdir_p(p) < 0)
        return -1;
    PATHF(p, "%s/bus/pci/devices/%s/vendor", sysfs_root, g->pci);
    write_text(p, "0x10de\n", 0444);
    PATHF(p, "%s/bus/pci/devices/%s/device", sysfs_root, g->pci);
    snprintf(text, sizeof text, "0x%04x\n", g->model->pci_device_id >> 16);
    write_text(p, text, 0444);
    if (g->model->sriov) {
        PATHF(p, "%s/bus/pci/devices/%s/sriov_totalvfs", sysfs_root, g->pci);
        snprintf(text, sizeof text, "%d\n", g->vfs);
        write_text(p, text, 0444);
        PATHF(p, "%s/bus/pci/devices/%s/sriov_numvfs", sysfs_root, g->pci);
        write_text(p, "0\n", 0644);
        return g->vfs > 0 && g->model->type_count > 0 ? enable_vfs(g, g->vfs) : 0;   /* sriov-manage -e ALL */
    }
    if (g->model->type_count > 0) {
        if (create_parent(g, g->pci) < 0)
            return -1;
        refresh_available(g);
    }
    return 0;
}

/* ---------------------------------------------------------------- host file -------------------- */

static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    errno = EINVAL;
    return -1;
}

static int valid_gpu_uuid(const char *s)
{
    if (strncmp(s, "GPU-", 4) != 0 || strlen(s) != 4 + UUID_LEN)
        return 0;
    for (int i = 0; i < UUID_LEN; i++) {
        char c = s[4 + i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return 0;
        } else if (!isxdigit((unsigned char) c)) {
            return 0;
        }
    }
    return 1;
}

static int parse_gpu_line(char *line, int lineno, sim_gpu *g)
{
    memset(g, 0, sizeof *g);
    g->mig_on = -1;
    int have_pci = 0, vfs = -1;
    char *save = NULL;
    strtok_r(line, " \t\r\n", &save);                        /* "gpu" */
    for (char *tok; (tok = strtok_r(NULL, " \t\r\n", &save)) != NULL;) {
        char *eq = strchr(tok, '=');
        if (!eq)
            return fail("line %d: expected key=value, got '%s'", lineno, tok);
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(tok, "pci")) {
            char extra;
            if (sscanf(v, "%4x:%2x:%2x.%1x%c", &g->domain, &g->bus, &g->dev, &g->fn, &extra) != 4 || g->dev > 31)
                return fail("line %d: pci must look like 0000:41:00.0, got '%s'", lineno, v);
            snprintf(g->pci, sizeof g->pci, "%04x:%02x:%02x.%x", g->domain, g->bus, g->dev, g->fn);
            have_pci = 1;
        } else if (!strcmp(tok, "model")) {
            for (int m = 0; m < MODEL_COUNT; m++)
                if (!strcmp(MODELS[m].model, v))
                    g->model = &MODELS[m];
            if (!g->model)
                return fail("line %d: unknown model '%s'", lineno, v);
        } else if (!strcmp(tok, "uuid")) {
            if (!valid_gpu_uuid(v))
                return fail("line %d: uuid must look like GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, got '%s'", lineno, v);
            snprintf(g->uuid, sizeof g->uuid, "%s", v);
        } else if (!strcmp(tok, "memory_mib")) {
            g->memory_mib = strtoull(v, NULL, 10);
            if (g->memory_mib == 0)
                return fail("line %d: memory_mib must be a positive number", lineno);
        } else if (!strcmp(tok, "mig")) {
            if (strcmp(v, "on") && strcmp(v, "off"))
                return fail("line %d: mig must be on or off, got '%s'", lineno, v);
            g->mig_on = !strcmp(v, "on");
        } else if (!strcmp(tok, "vfs")) {
            char *end;
            vfs = (int) strtol(v, &end, 10);
            if (*end || vfs < 0)
                return fail("line %d: vfs must be a number >= 0", lineno);
        } else {
            return fail("line %d: unknown key '%s'", lineno, tok);
        }
    }
    if (!have_pci || !g->model || !g->uuid[0])
        return fail("line %d: pci, model and uuid are required", lineno);
    if (!g->memory_mib)
        g->memory_mib = g->model->default_memory_mib;
    if (vfs < 0)
        vfs = g->model->sriov ? g->model->max_vfs : 0;
    if (vfs > 0 && !g->model->sriov)
        return fail("line %d: model %s has no SR-IOV", lineno, g->model->model);
    if (vfs > g->model->max_vfs || vfs > 64)
        return fail("line %d: model %s supports at most %d VFs", lineno, g->model->model, g->model->max_vfs);
    g->vfs = vfs;
    if (g->mig_on == 1 && !g->model->mig)
        return fail("line %d: model %s has no MIG", lineno, g->model->model);
    return 0;
}

static int load_host_file(const char *host_file)
{
    FILE *f = fopen(host_file, "re");
    if (!f)
        return fail("cannot read host file %s: %s", host_file, strerror(errno));
    char line[1024];
    int lineno = 0, rc = 0;
    gpu_count = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char *s = line;
        while (isspace((unsigned char) *s))
            s++;
        if (!*s)
            continue;
        if (strncmp(s, "gpu", 3) != 0 || !isspace((unsigned char) s[3])) {
            rc = fail("line %d: expected a 'gpu' line", lineno);
        } else if (gpu_count == MAX_GPUS) {
            rc = fail("line %d: at most %d GPUs", lineno, MAX_GPUS);
        } else if ((rc = parse_gpu_line(s, lineno, &gpus[gpu_count])) == 0) {
            for (int i = 0; i < gpu_count; i++)
                if (!strcmp(gpus[i].pci, gpus[gpu_count].pci) || !strcmp(gpus[i].uuid, gpus[gpu_count].uuid))
                    rc = fail("line %d: duplicate pci address or uuid", lineno);
            gpus[gpu_count].index = gpu_count;
            gpu_count++;
        }
    }
    fclose(f);
    if (rc == 0 && gpu_count == 0)
        rc = fail("host file %s describes no GPU", host_file);
    return rc;
}

EXPORT int vgpusim_configure(const char *host_file, const char *root)
{
    if (!host_file || !root || !*root || strlen(root) > 1024) {   /* short roots keep every derived path < PATH_MAX */
        errno = EINVAL;
        return -1;
    }
    pthread_mutex_lock(&lock);
    configured = 0;
    int rc = load_host_file(host_file);
    if (rc == 0) {
        snprintf(sysfs_root, sizeof sysfs_root, "%s", root);
        size_t n = strlen(sysfs_root);
        while (n > 1 && sysfs_root[n - 1] == '/')
            sysfs_root[--n] = 0;
        configured = 1;
        last_error[0] = 0;
        mig_configure();
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

EXPORT int vgpusim_boot(void)
{
    pthread_mutex_lock(&lock);
    int rc = 0;
    char p[PATH_MAX];
    if (!configured) {
        rc = fail("vgpusim_configure was not called");
    } else {
        PATHF(p, "%s/bus/mdev/devices", sysfs_root);
        if (mkdir_p(p) < 0)
            rc = fail("cannot create %s: %s", p, strerror(errno));
        PATHF(p, "%s/class/mdev_bus", sysfs_root);
        if (rc == 0 && mkdir_p(p) < 0)
            rc = fail("cannot create %s: %s", p, strerror(errno));
        for (int i = 0; rc == 0 && i < gpu_count; i++)
            if (boot_gpu(&gpus[i]) < 0)
                rc = fail("cannot build the sysfs tree for %s: %s", gpus[i].pci, strerror(errno));
        for (int i = 0; rc == 0 && i < gpu_count; i++)
            mig_reset(&gpus[i]);
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

EXPORT const char *vgpusim_last_error(void)
{
    return last_error;
}

/* ---------------------------------------------------------------- simulated kernel ------------- */

enum { ATTR_CREATE = 1, ATTR_REMOVE, ATTR_SRIOV_NUMVFS };

typedef struct {
    int fd;                      /* a real descriptor on /dev/null, so numbers never collide */
    int kind;
    char device[16];             /* parent / PF BDF */
    char name[64];               /* type dir or mdev UUID */
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

/* Recognises the kernel attribute files by their canonical path (symlinks resolved) under the root. */
static int classify(const char *path, sim_file *out)
{
    char real[PATH_MAX], root_real[PATH_MAX];
    if (!configured || !realpath(path, real) || !realpath(sysfs_root, root_real))
        return 0;
    size_t rl = strlen(root_real);
    if (strncmp(real, root_real, rl) != 0 || real[rl] != '/')
        return 0;
    char *parts[8];
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(real + rl + 1, "/", &save); tok && n < 8; tok = strtok_r(NULL, "/", &save))
        parts[n++] = tok;
    if (n < 5 || strcmp(parts[0], "bus") || strcmp(parts[1], "pci") || strcmp(parts[2], "devices")
        || strlen(parts[3]) >= sizeof out->device)
        return 0;
    memset(out, 0, sizeof *out);
    snprintf(out->device, sizeof out->device, "%s", parts[3]);
    if (n == 5 && !strcmp(parts[4], "sriov_numvfs")) {
        out->kind = ATTR_SRIOV_NUMVFS;
    } else if (n == 7 && !strcmp(parts[4], "mdev_supported_types") && !strcmp(parts[6], "create")
               && strlen(parts[5]) < sizeof out->name) {
        out->kind = ATTR_CREATE;
        snprintf(out->name, sizeof out->name, "%s", parts[5]);
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
    int parent;
    sim_gpu *g = gpu_for_address(f->device, &parent);
    char p[PATH_MAX], type[PATH_MAX];
    PATHF(p, "%s/bus/pci/devices/%s/%s/mdev_type", sysfs_root, f->device, f->name);
    ssize_t n = readlink(p, type, sizeof type - 1);
    if (n < 0)
        return -ENODEV;
    type[n] = 0;
    const char *type_dir = strrchr(type, '/') ? strrchr(type, '/') + 1 : type;
    PATHF(p, "%s/bus/pci/devices/%s/mdev_supported_types/%s/devices/%s", sysfs_root, f->device, type_dir, f->name);
    unlink(p);
    PATHF(p, "%s/bus/mdev/devices/%s", sysfs_root, f->name);
    unlink(p);
    PATHF(p, "%s/bus/pci/devices/%s/%s", sysfs_root, f->device, f->name);
    remove_tree(p);
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

/* ---------------------------------------------------------------- NVML ------------------------- */

typedef struct {
    char busIdLegacy[16];
    unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
    char busId[32];
} nvmlPciInfo_t;
_Static_assert(sizeof(nvmlPciInfo_t) == 68, "nvmlPciInfo_t must match nvml.h");

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;

static const char *DRIVER_VERSION = "550.127.05";

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
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED : copy_string(version, length, DRIVER_VERSION);
    pthread_mutex_unlock(&lock);
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED : !count ? NVML_ERROR_INVALID_ARGUMENT : NVML_SUCCESS;
    if (r == NVML_SUCCESS)
        *count = (unsigned) gpu_count;
    pthread_mutex_unlock(&lock);
    return r;
}

EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    pthread_mutex_lock(&lock);
    nvmlReturn_t r = nvml_refs == 0 ? NVML_ERROR_UNINITIALIZED
        : (!device || index >= (unsigned) gpu_count) ? NVML_ERROR_INVALID_ARGUMENT : NVML_SUCCESS;
    if (r == NVML_SUCCESS)
        *device = &gpus[index];
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
            if (gpus[i].domain == dom && gpus[i].bus == bus && gpus[i].dev == dev && gpus[i].fn == fn) {
                *device = &gpus[i];
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
