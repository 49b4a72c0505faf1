package io.vgpuhub.agent.reconcile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.sysfs.KernelWriteException;
import io.vgpuhub.agent.sysfs.PciDrivers;
import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.UnsafeSysfsPathException;

/**
 * Hands a GPU and the other functions recorded with it to vfio-pci the way the kernel documents it
 * (Documentation/driver-api/vfio.rst, sysfs-bus-pci). First of all it takes NVIDIA's unbind lock of the GPU
 * ({@link GpuHolders#lock}), so that nothing opens the GPU before nvidia lets go of it (nvidia's remove would wait for
 * it forever); a GPU in use is refused with nothing touched. Then per function {@code echo vfio-pci > driver_override},
 * {@code echo <bdf> > driver/unbind}, {@code echo <bdf> > drivers_probe}, then reads the {@code driver} link, because
 * drivers_probe does not report a driver that failed to bind. SR-IOV VFs are disabled first (the VM gets the whole
 * function). A failure half-way gives the unbind lock and every function back, so the host never keeps half a group on vfio-pci. Giving
 * them back is the same in reverse: an empty driver_override ({@code "\n"}), unbind from vfio-pci, drivers_probe (the
 * function's own driver matches it again by its id table; if none does, its recorded driver is bound by name), VFs
 * enabled again.
 */
final class VfioBinding {

    private static final Logger log = LoggerFactory.getLogger(VfioBinding.class);

    private final Sysfs sysfs;
    private final PciDrivers drivers;
    private final SriovFunctions vfs;
    private final GpuHolders holders;

    VfioBinding(Sysfs sysfs, SriovFunctions vfs, GpuHolders holders) {
        this.sysfs = sysfs;
        this.drivers = sysfs.drivers();
        this.vfs = vfs;
        this.holders = holders;
    }

    /** Whether every function is bound to vfio-pci. */
    boolean allBound(List<PassthroughRecord.Function> functions) {
        return functions.stream().allMatch(f -> drivers.isBoundTo(f.address(), PciDrivers.VFIO_PCI));
    }

    /**
     * Binds every function to vfio-pci (those already bound are left so); empty on success, else why not, with every
     * function given back to its driver and the VFs enabled again.
     */
    Optional<String> bind(String gpu, List<PassthroughRecord.Function> functions, int vfsBefore) {
        String current = gpu;
        try {
            Optional<String> inUse = holders.lock(gpu);
            if (inUse.isPresent()) {
                return inUse;
            }
            if (vfsBefore > 0 && sysfs.hasSriov(gpu) && sysfs.numVfs(gpu) > 0) {
                log.info("disabled the VFs of {} for passthrough ({})", gpu, vfs.disable(gpu));
                // sriov-manage rebinds the GPU to nvidia, with a fresh lock: nothing may open it before the unbind below
                inUse = holders.lock(gpu);
                if (inUse.isPresent()) {
                    rollBack(gpu, functions, vfsBefore);
                    return inUse;
                }
            }
            for (PassthroughRecord.Function function : functions) {
                current = function.address();
                Optional<String> problem = bindOne(function.address());
                if (problem.isPresent()) {
                    rollBack(gpu, functions, vfsBefore);
                    return problem;
                }
            }
        }
        catch (KernelWriteException | SriovFunctions.SriovException | UnsafeSysfsPathException e) {
            rollBack(gpu, functions, vfsBefore);
            return Optional.of("cannot bind " + current + " to vfio-pci: " + e.getMessage()
                    + (functions.size() > 1 ? "; every function of the group was given back" : ""));
        }
        return Optional.empty();
    }

    private Optional<String> bindOne(String address) {
        if (drivers.isBoundTo(address, PciDrivers.VFIO_PCI)) {
            return Optional.empty();
        }
        drivers.setDriverOverride(address, PciDrivers.VFIO_PCI);
        if (drivers.driver(address).isPresent()) {
            drivers.unbind(address);
        }
        drivers.probe(address);
        Optional<String> driver = drivers.driver(address);
        if (!driver.equals(Optional.of(PciDrivers.VFIO_PCI))) {
            return Optional.of("vfio-pci did not bind " + address + " (driver after drivers_probe: " + driver.orElse("none")
                    + "); is the vfio-pci module loaded and the IOMMU enabled? `vgpuhub-agent doctor` checks the host");
        }
        return Optional.empty();
    }

    /**
     * Gives every function back to its driver, the GPU last, then enables the GPU's VFs again; empty on success, else
     * why not (what could be given back is).
     */
    Optional<String> release(String gpu, List<PassthroughRecord.Function> functions, int vfsBefore) {
        List<String> problems = new ArrayList<>();
        for (PassthroughRecord.Function function : reversed(functions)) {
            try {
                giveBack(function).ifPresent(problems::add);
            }
            catch (KernelWriteException | UnsafeSysfsPathException e) {
                problems.add("cannot give " + function.address() + " back from vfio-pci: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return Optional.of(String.join("; ", problems));
        }
        enableVfsAgain(gpu, vfsBefore);
        return Optional.empty();
    }

    private Optional<String> giveBack(PassthroughRecord.Function function) {
        String address = function.address();
        if (drivers.driverOverride(address).isPresent()) {
            drivers.clearDriverOverride(address);
        }
        Optional<String> driver = drivers.driver(address);
        if (driver.equals(Optional.of(PciDrivers.VFIO_PCI))) {
            drivers.unbind(address);
            drivers.probe(address);
        }
        else if (driver.isEmpty()) {
            drivers.probe(address);
        }
        driver = drivers.driver(address);
        if (driver.isEmpty() && function.driver() != null) {
            try {
                drivers.bind(address, function.driver());
            }
            catch (KernelWriteException e) {
                log.warn("{} did not take {} back: {}", function.driver(), address, e.reason());
            }
            driver = drivers.driver(address);
        }
        if (driver.equals(Optional.of(PciDrivers.VFIO_PCI))) {
            return Optional.of(address + " is still bound to vfio-pci after unbind and drivers_probe");
        }
        if (driver.isEmpty()) {
            log.warn("no driver took {} back after vfio-pci (it had {}; is its module loaded?)", address,
                    function.driver() == null ? "none" : function.driver());
        }
        else if (function.driver() != null && !driver.get().equals(function.driver())) {
            log.warn("{} went back to {}, not to {} which it had before the passthrough", address, driver.get(),
                    function.driver());
        }
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

    private static List<PassthroughRecord.Function> reversed(List<PassthroughRecord.Function> functions) {
        List<PassthroughRecord.Function> reversed = new ArrayList<>(functions);
        Collections.reverse(reversed);
        return reversed;
    }

    private void rollBack(String gpu, List<PassthroughRecord.Function> functions, int vfsBefore) {
        try {
            holders.unlock(gpu);
        }
        catch (KernelWriteException | UnsafeSysfsPathException e) {
            log.warn("cannot give the nvidia unbind lock of {} back: {}", gpu, e.getMessage());
        }
        for (PassthroughRecord.Function function : reversed(functions)) {
            try {
                giveBack(function).ifPresent(problem -> log.warn("cannot undo the vfio-pci binding: {}", problem));
            }
            catch (KernelWriteException | UnsafeSysfsPathException e) {
                log.warn("cannot undo the vfio-pci binding of {}: {}", function.address(), e.getMessage());
            }
        }
        enableVfsAgain(gpu, vfsBefore);
    }
}
