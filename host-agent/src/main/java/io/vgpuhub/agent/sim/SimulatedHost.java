package io.vgpuhub.agent.sim;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Boots the simulated GPU host: loads the host description file into the native simulator (which then answers NVML
 * calls and kernel attribute writes) and builds the simulated sysfs tree the way the kernel and
 * {@code sriov-manage -e ALL} would at boot. An existing tree is reused, so mdevs survive an agent restart.
 *
 * <p>Host file format, one GPU per line, {@code #} starts a comment:
 * <pre>gpu pci=0000:41:00.0 model=A40 uuid=GPU-3c2a9e4f-8b1d-4e6a-9f2c-1a2b3c4d5e6f memory_mib=46068 vfs=16</pre>
 * {@code memory_mib} and {@code vfs} are optional (the model's defaults); {@code mig=on|off} sets a MIG-capable board's mode (A100-40GB,
 * A100-80GB, H100-80GB, A30). A line {@code vgpu_framework=vfio} (default {@code mdev}) makes the host use NVIDIA's
 * vendor-specific VFIO framework: no mdev core; each VF has {@code nvidia/creatable_vgpu_types} and
 * {@code nvidia/current_vgpu_type}. Every GPU boots bound to the {@code nvidia} driver; the simulated driver core also
 * has {@code vfio-pci}, {@code driver_override}, {@code drivers/<driver>/bind|unbind} and {@code drivers_probe}, and NVML
 * does not see a GPU bound to vfio-pci.
 *
 * <p>The host around the GPUs (src/main/c/host.c) has host-wide lines {@code iommu=on|off|firmware-off},
 * {@code vfio=loaded|missing}, {@code driver=vgpu|datacenter} and {@code vgpu_mgr=running|stopped} (the first of each
 * choice is the default, except {@code vfio=loaded}), and per-GPU keys {@code sriov_at_boot=on|off} (whether the VFs were
 * enabled at boot), {@code audio=on} (an HD audio function {@code .1} in the GPU's IOMMU group, bound to
 * snd_hda_intel), {@code group_with=<bdf>} (a foreign NIC, bound to ixgbe, in the GPU's IOMMU group) and
 * {@code processes=<n>} (host compute processes NVML reports on the GPU). A simulated procfs ({@code cmdline},
 * {@code driver/nvidia/version}, {@code <pid>/comm}, and per GPU on nvidia {@code driver/nvidia/gpus/<bdf>/information}
 * with "Device Minor: <index>" and {@code unbindLock}, which the simulated kernel answers) lies beside the sysfs root, as
 * {@code /proc} beside {@code /sys}; an audio function on snd_hda_intel has {@code sound/card<index>}. A test makes a
 * process hold a device ({@code /dev/nvidia<index>}, {@code /dev/snd/pcmC<index>D0p}, {@code /dev/vfio/<group>}) with a
 * {@code <pid>/fd/<n>} link in that procfs: the simulated unbind of a held device then blocks and fails with EBUSY.
 * The simulator holds one host per process.
 */
public final class SimulatedHost {

    private SimulatedHost() {
    }

    /** Configures the simulator and builds (or reuses) the sysfs tree. */
    public static synchronized void boot(Path hostFile, Path sysfsRoot) {
        VgpuSimLibrary sim = configure(hostFile, sysfsRoot);
        String root = sysfsRoot.toAbsolutePath().normalize().toString();
        if (sim.vgpusim_boot() != 0) {
            throw new IllegalStateException("cannot build the simulated sysfs tree under " + root + ": " + sim.vgpusim_last_error());
        }
    }

    /** Configures the simulator's GPUs for NVML only; writes nothing (for read-only discovery). */
    public static synchronized void configureReadOnly(Path hostFile, Path sysfsRoot) {
        configure(hostFile, sysfsRoot);
    }

    private static VgpuSimLibrary configure(Path hostFile, Path sysfsRoot) {
        if (!Files.isReadable(hostFile)) {
            throw new IllegalArgumentException("simulated host file " + hostFile + " is not readable");
        }
        VgpuSimLibrary sim = VgpuSimLibrary.load();
        String root = sysfsRoot.toAbsolutePath().normalize().toString();
        if (sim.vgpusim_configure(hostFile.toAbsolutePath().toString(), root) != 0) {
            throw new IllegalArgumentException("simulated host file " + hostFile + ": " + sim.vgpusim_last_error());
        }
        return sim;
    }
}
