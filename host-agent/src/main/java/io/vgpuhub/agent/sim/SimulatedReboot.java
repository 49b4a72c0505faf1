package io.vgpuhub.agent.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * Puts a booted simulated host into the state a real host is in after a reboot, before anything re-creates its
 * devices: every GPU bound to nvidia without a driver_override (neither survives a reboot), no mediated devices, and
 * {@code sriov_numvfs} 0 with no VFs (VFs are not persistent; operators or {@code vgpuhub-agent restore} enable them
 * again). The agent's state directory is untouched.
 *
 * <p>The native simulator exports no reboot ({@code vgpusim_configure}, {@code vgpusim_boot} and
 * {@code vgpusim_last_error} only, and {@code vgpusim_boot} keeps an existing tree as it is). So the reboot is expressed
 * through the simulated kernel itself: every GPU's driver_override is cleared and a GPU on another driver (vfio-pci)
 * is unbound and probed again, which gives it back to nvidia; every mdev is removed with {@code echo 1 > remove} (on vendor-VFIO hosts every
 * VF's vGPU with {@code echo 0 > nvidia/current_vgpu_type}), then every SR-IOV GPU's VFs
 * are disabled with {@code echo 0 > sriov_numvfs}; the simulator then drops the VF devices, their {@code virtfn}
 * links and their {@code mdev_bus} entries, exactly as after a power cycle. Test and demo use only.
 */
public final class SimulatedReboot {

    private SimulatedReboot() {
    }

    /** Reboots the simulated host whose sysfs tree is at {@code sysfsRoot} (already booted in this process). */
    public static void reboot(Path sysfsRoot) {
        Sysfs sysfs = new Sysfs(sysfsRoot, KernelFiles.load("vgpusim"));
        PciDrivers drivers = sysfs.drivers();
        for (String gpu : drivers.nvidiaGpus()) {
            if (drivers.driverOverride(gpu).isPresent()) {
                drivers.clearDriverOverride(gpu);
            }
            if (drivers.driver(gpu).isPresent() && !drivers.driver(gpu).get().equals(PciDrivers.NVIDIA)) {
                drivers.unbind(gpu);
            }
            if (drivers.driver(gpu).isEmpty()) {
                drivers.probe(gpu);
            }
        }
        for (Mdev mdev : sysfs.mdevs()) {
            sysfs.removeMdev(mdev.uuid());
        }
        for (String vf : sysfs.vendorVfioFunctions()) {
            if (sysfs.currentVgpuType(vf) != 0) {
                sysfs.clearVgpuType(vf);
            }
        }
        List<String> physicalFunctions = new ArrayList<>();
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(sysfsRoot.resolve("bus/pci/devices"))) {
            for (Path device : devices) {
                if (!Files.isSymbolicLink(device.resolve("physfn")) && Files.exists(device.resolve("sriov_totalvfs"))) {
                    physicalFunctions.add(device.getFileName().toString());
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the simulated PCI devices under " + sysfsRoot, e);
        }
        for (String pf : physicalFunctions) {
            if (sysfs.numVfs(pf) != 0) {
                sysfs.setNumVfs(pf, 0);
            }
        }
    }
}
