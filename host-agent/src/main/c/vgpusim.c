/*
 * vgpusim: the GPU side of a simulated vGPU host, in one shared library.
 *
 *  1. The NVML C ABI (the subset the agent uses) for simulated GPUs, exported under the real
 *     (versioned) symbol names and return codes of nvml.h, so the agent's JNA binding is the same
 *     binding that runs against libnvidia-ml.so.1.
 *  2. A simulated kernel for the sysfs attribute files the agent writes: the library exports
 *     open/write/close with libc's signatures. The agent loads its libc binding from "c" on a real host
 *     and from "vgpusim" in simulation. Writes to mdev create/remove, sriov_numvfs, current_vgpu_type
 *     and the PCI driver core's driver_override, bind/unbind and drivers_probe under the configured
 *     simulated sysfs root behave like the kernel (and the NVIDIA vGPU manager) would; every other path
 *     goes to the real kernel through syscall(2). NVML sees only the GPUs bound to nvidia.
 *  3. vgpusim_configure/vgpusim_boot: load the host description file and build the simulated sysfs
 *     tree the way the kernel and `sriov-manage -e ALL` would at boot (an existing tree is reused).
 *     Boot also resets the GPUs for MIG (mig.c): a pending MIG mode becomes current, instances are gone.
 *
 * Files: vgpusim.c (models, host file, configure/boot), sysfs.c (the simulated sysfs tree), kernel.c (the
 * attribute writes), driver.c (the PCI driver core: driver_override, bind/unbind, drivers_probe; vfio-pci), nvml.c
 * (device NVML), mig.c, mig_gi.c and mig_ci.c (MIG); shared declarations in vgpusim.h and mig.h.
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
int configured;
int vgpu_framework_vfio;
int nvml_refs;
char sysfs_root[PATH_MAX];
static char last_error[512];

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
    g->sriov_at_boot = 1;
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
        } else if (!strcmp(tok, "sriov_at_boot")) {
            if (strcmp(v, "on") && strcmp(v, "off"))
                return fail("line %d: sriov_at_boot must be on or off, got '%s'", lineno, v);
            g->sriov_at_boot = !strcmp(v, "on");
        } else if (!strcmp(tok, "audio")) {
            if (strcmp(v, "on") && strcmp(v, "off"))
                return fail("line %d: audio must be on or off, got '%s'", lineno, v);
            g->audio = !strcmp(v, "on");
        } else if (!strcmp(tok, "group_with")) {
            unsigned d, b, s, f;
            char extra;
            if (sscanf(v, "%4x:%2x:%2x.%1x%c", &d, &b, &s, &f, &extra) != 4 || s > 31 || f > 7)
                return fail("line %d: group_with must look like 0000:42:00.0, got '%s'", lineno, v);
            snprintf(g->group_with, sizeof g->group_with, "%04x:%02x:%02x.%x", d, b, s, f);
        } else if (!strcmp(tok, "processes")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 0 || n > 64)
                return fail("line %d: processes must be a number from 0 to 64", lineno);
            g->processes = (int) n;
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
    if (g->group_with[0] && (!strcmp(g->group_with, g->pci) || (g->audio && !strncmp(g->group_with, g->pci, 10)
                                                                  && g->group_with[11] == '1')))
        return fail("line %d: group_with must name another device than the GPU and its audio function", lineno);
    return 0;
}

/* "vgpu_framework=mdev|vfio", a host-wide line: the framework is the vGPU manager's and the kernel's, not a board's. */
static int parse_framework_line(const char *line, int lineno, int *seen)
{
    char value[32];
    char extra[2];
    int n = sscanf(line, "vgpu_framework=%31s %1s", value, extra);
    if (n != 1)
        return fail("line %d: expected vgpu_framework=mdev or vgpu_framework=vfio", lineno);
    if (*seen)
        return fail("line %d: vgpu_framework given twice", lineno);
    if (!strcmp(value, "mdev"))
        vgpu_framework_vfio = 0;
    else if (!strcmp(value, "vfio"))
        vgpu_framework_vfio = 1;
    else
        return fail("line %d: vgpu_framework must be mdev or vfio, got '%s'", lineno, value);
    *seen = 1;
    return 0;
}

static int load_host_file(const char *host_file)
{
    FILE *f = fopen(host_file, "re");
    if (!f)
        return fail("cannot read host file %s: %s", host_file, strerror(errno));
    char line[1024];
    int lineno = 0, rc = 0, framework_seen = 0;
    gpu_count = 0;
    vgpu_framework_vfio = 0;
    host_defaults();
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
        char why[160];
        int host = -1;
        if (!strncmp(s, "vgpu_framework=", 15)) {
            rc = parse_framework_line(s, lineno, &framework_seen);
        } else if ((host = parse_host_line(s, why, sizeof why)) >= 0) {
            if (host > 0)
                rc = fail("line %d: %s", lineno, why);
        } else if (strncmp(s, "gpu", 3) != 0 || !isspace((unsigned char) s[3])) {
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
    if (rc == 0)
        host_configured();
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
        derive_proc_root();
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
        if (!vgpu_framework_vfio) {           /* vendor-VFIO hosts have no mdev core */
            PATHF(p, "%s/bus/mdev/devices", sysfs_root);
            if (mkdir_p(p) < 0)
                rc = fail("cannot create %s: %s", p, strerror(errno));
            PATHF(p, "%s/class/mdev_bus", sysfs_root);
            if (rc == 0 && mkdir_p(p) < 0)
                rc = fail("cannot create %s: %s", p, strerror(errno));
        }
        PATHF(p, "%s/bus/pci/drivers", sysfs_root);
        if (rc == 0 && driver_core_files() < 0)
            rc = fail("cannot create the driver directories under %s: %s", p, strerror(errno));
        for (int i = 0; rc == 0 && i < gpu_count; i++)
            if (boot_gpu(&gpus[i]) < 0)
                rc = fail("cannot build the sysfs tree for %s: %s", gpus[i].pci, strerror(errno));
        if (rc == 0 && boot_host() < 0)
            rc = fail("cannot build the simulated host around the GPUs: %s", strerror(errno));
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
