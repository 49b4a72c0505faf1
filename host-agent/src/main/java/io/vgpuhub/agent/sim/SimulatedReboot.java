package io.vgpuhub.agent.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.vgpuhub.agent.sysfs.KernelFiles;
import io.vgpuhub.agent.sysfs.Mdev;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * Puts a booted simulated host into the state a real host is in after a reboot, before anything re-creates its
 * devices: every PCI function on the driver its id table picks and without a driver_override (neither survives a
 * reboot: a GPU is nvidia's again, its audio function snd_hda_intel's), no mediated devices, and
 * {@code sriov_numvfs} 0 with no VFs (VFs are not persistent; operators or {@code vgpuhub-agent restore} enable them
 * again). The agent's state directory is untouched.
 *
 * <p>The native simulator exports no reboot ({@code vgpusim_configure}, {@code vgpusim_boot} and
 * {@code vgpusim_last_error} only, and {@code vgpusim_boot} keeps an existing tree as it is). So the reboot is expressed
 * through the simulated kernel itself: every function's driver_override is cleared, a function on vfio-pci (or a GPU on
 * any driver but nvidia) is unbound, and every unbound function is probed again, which gives it back to its own
 * driver; every mdev is removed with {@code echo 1 > remove} (on vendor-VFIO hosts every VF's vGPU with
 * {@code echo 0 > nvidia/current_vgpu_type}), then every SR-IOV GPU's VFs are disabled with {@code echo 0 > sriov_numvfs}; the simulator then drops the VF devices, their {@code virtfn}
 * links and their {@code mdev_bus} entries, exactly as after a power cycle. Test and demo use only.
 */
public final class SimulatedReboot {

    private SimulatedReboot() {
    }

    /** Reboots the simulated host whose sysfs tree is at {@code sysfsRoot} (already booted in this process). */
    public static void reboot(Path sysfsRoot) {
        Sysfs sysfs = new Sysfs(sysfsRoot, KernelFiles.load("vgpusim"));
        PciDrivers drivers = sysfs.drivers();
        List<String> gpus = drivers.nvidiaGpus();
        for (String function : pciFunctions(sysfsRoot)) {
            if (drivers.driverOverride(function).isPresent()) {
                drivers.clearDriverOverride(function);
            }
            Optional<String> driver = drivers.driver(function);
            boolean foreignOnGpu = gpus.contains(function) && driver.isPresent() && !driver.get().equals(PciDrivers.NVIDIA);
            if (foreignOnGpu || driver.equals(Optional.of(PciDrivers.VFIO_PCI))) {
                drivers.unbind(function);
            }
            if (drivers.driver(function).isEmpty()) {
                drivers.probe(function);
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
        for (String pf : pciFunctions(sysfsRoot)) {
            Path device = sysfsRoot.resolve("bus/pci/devices").resolve(pf);
            if (Files.isSymbolicLink(device.resolve("physfn")) || !Files.exists(device.resolve("sriov_totalvfs"))) {
                continue;
            }
            if (sysfs.numVfs(pf) != 0) {
                sysfs.setNumVfs(pf, 0);
            }
        }
    }

    /** Every PCI function of the simulated host, by address (physical functions, VFs, audio functions, NICs). */
    private static List<String> pciFunctions(Path sysfsRoot) {
        List<String> functions = new ArrayList<>();
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(sysfsRoot.resolve("bus/pci/devices"))) {
            for (Path device : devices) {
                functions.add(device.getFileName().toString());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the simulated PCI devices under " + sysfsRoot, e);
        }
        functions.sort(null);
        return functions;
    }
}
