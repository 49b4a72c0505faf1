package io.vgpuhub.agent.reconcile;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.sysfs.KernelWriteException;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.UnsafeSysfsPathException;

/**
 * Hands a whole GPU to vfio-pci the way the kernel documents it (Documentation/driver-api/vfio.rst, sysfs-bus-pci):
 * {@code echo vfio-pci > driver_override}, {@code echo <gpu> > driver/unbind}, {@code echo <gpu> > drivers_probe}, then
 * reads the {@code driver} link, because drivers_probe does not report a driver that failed to bind. SR-IOV VFs are
 * disabled first (the VM gets the whole function). Giving it back is the same in reverse: an empty driver_override
 * ({@code "\n"}), unbind from vfio-pci, drivers_probe (nvidia's id table matches again), VFs enabled again.
 */
final class VfioBinding {

    private static final Logger log = LoggerFactory.getLogger(VfioBinding.class);

    private final Sysfs sysfs;
    private final PciDrivers drivers;
    private final GpuDevices devices;
    private final SriovFunctions vfs;

    VfioBinding(Sysfs sysfs, GpuDevices devices, SriovFunctions vfs) {
        this.sysfs = sysfs;
        this.drivers = sysfs.drivers();
        this.devices = devices;
        this.vfs = vfs;
    }

    PciDrivers drivers() {
        return drivers;
    }

    Sysfs sysfs() {
        return sysfs;
    }

    /** Why the GPU cannot be handed to vfio-pci now; empty when it is nvidia's (or no driver's) and holds no device. */
    Optional<String> refusal(String gpu) {
        if (!drivers.nvidiaGpus().contains(gpu)) {
            return Optional.of("no NVIDIA GPU at " + gpu);
        }
        Optional<String> driver = drivers.driver(gpu);
        if (driver.isPresent() && !PciDrivers.NVIDIA.equals(driver.get())) {
            return Optional.of("GPU " + gpu + " is bound to " + driver.get() + ", not nvidia: left alone");
        }
        List<String> held = devices.on(gpu);
        if (!held.isEmpty()) {
            return Optional.of("GPU " + gpu + " holds " + held.size() + " device(s) (" + String.join(", ", held)
                    + "): passthrough needs an empty GPU");
        }
        return Optional.empty();
    }

    /** Binds the GPU to vfio-pci; empty on success, else why not (everything undone as far as it goes). */
    Optional<String> bind(String gpu, int vfsBefore) {
        try {
            if (vfsBefore > 0) {
                log.info("disabled the VFs of {} for passthrough ({})", gpu, vfs.disable(gpu));
            }
            drivers.setDriverOverride(gpu, PciDrivers.VFIO_PCI);
            if (drivers.driver(gpu).isPresent()) {
                drivers.unbind(gpu);
            }
            drivers.probe(gpu);
        }
        catch (KernelWriteException | SriovFunctions.SriovException | UnsafeSysfsPathException e) {
            rollBack(gpu, vfsBefore);
            return Optional.of("cannot bind " + gpu + " to vfio-pci: " + e.getMessage());
        }
        Optional<String> driver = drivers.driver(gpu);
        if (!driver.equals(Optional.of(PciDrivers.VFIO_PCI))) {
            rollBack(gpu, vfsBefore);
            return Optional.of("vfio-pci did not bind " + gpu + " (driver after drivers_probe: " + driver.orElse("none")
                    + "); is the vfio-pci module loaded and the IOMMU enabled?");
        }
        return Optional.empty();
    }

    /** Gives the GPU back to nvidia (or whatever matches it without the override); empty on success, else why not. */
    Optional<String> release(String gpu, int vfsBefore) {
        try {
            if (drivers.driverOverride(gpu).isPresent()) {
                drivers.clearDriverOverride(gpu);
            }
            Optional<String> driver = drivers.driver(gpu);
            if (driver.equals(Optional.of(PciDrivers.VFIO_PCI))) {
                drivers.unbind(gpu);
                drivers.probe(gpu);
            }
            else if (driver.isEmpty()) {
                drivers.probe(gpu);
            }
        }
        catch (KernelWriteException | UnsafeSysfsPathException e) {
            return Optional.of("cannot give " + gpu + " back from vfio-pci: " + e.getMessage());
        }
        Optional<String> driver = drivers.driver(gpu);
        if (driver.equals(Optional.of(PciDrivers.VFIO_PCI))) {
            return Optional.of(gpu + " is still bound to vfio-pci after unbind and drivers_probe");
        }
        if (driver.isEmpty()) {
            log.warn("no driver took {} back after vfio-pci (is the nvidia module loaded?)", gpu);
        }
        enableVfsAgain(gpu, vfsBefore);
        return Optional.empty();
    }

    private void enableVfsAgain(String gpu, int vfsBefore) {
        try {
            if (vfsBefore > 0 && drivers.isBoundTo(gpu, PciDrivers.NVIDIA) && sysfs.hasSriov(gpu)
                    && sysfs.numVfs(gpu) == 0) {
                log.info("enabled the VFs of {} again ({})", gpu, vfs.enable(gpu));
            }
        }
        catch (KernelWriteException | SriovFunctions.SriovException e) {
            log.warn("cannot enable the VFs of {} again: {}", gpu, e.getMessage());
        }
    }

    private void rollBack(String gpu, int vfsBefore) {
        try {
            drivers.clearDriverOverride(gpu);
            if (drivers.driver(gpu).isEmpty()) {
                drivers.probe(gpu);
            }
        }
        catch (KernelWriteException | UnsafeSysfsPathException e) {
            log.warn("cannot undo the vfio-pci override of {}: {}", gpu, e.getMessage());
        }
        enableVfsAgain(gpu, vfsBefore);
    }
}
