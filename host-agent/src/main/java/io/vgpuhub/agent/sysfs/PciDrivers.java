package io.vgpuhub.agent.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which driver a PCI function is bound to, and the kernel's driver-core attributes that change it
 * (Documentation/ABI/testing/sysfs-bus-pci): {@code driver_override}, {@code driver/unbind}, {@code drivers/<name>/bind}
 * and {@code /sys/bus/pci/drivers_probe}. Obtained from {@link Sysfs#drivers()}; every path is confined under the sysfs
 * root like the rest of {@link Sysfs}, and every write is one write(2) whose errno comes back as a
 * {@link KernelWriteException}.
 */
public final class PciDrivers {

    public static final String NVIDIA = "nvidia";
    public static final String VFIO_PCI = "vfio-pci";

    static final String NVIDIA_VENDOR = "0x10de";

    private static final Pattern DRIVER_NAME = Pattern.compile("^[a-z0-9_][a-z0-9_.-]{0,31}$");

    private final Sysfs sysfs;
    private final KernelFiles kernel;

    PciDrivers(Sysfs sysfs, KernelFiles kernel) {
        this.sysfs = sysfs;
        this.kernel = kernel;
    }

    /** The driver the function is bound to (the name its {@code driver} link points at), empty when none. */
    public Optional<String> driver(String address) {
        Path link = sysfs.pciDevice(address).resolve("driver");
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read link " + link, e);
        }
    }

    /** Whether the function is bound to {@code driver}. */
    public boolean isBoundTo(String address, String driver) {
        return driver(address).equals(Optional.of(driver));
    }

    /** {@code driver_override}: the only driver allowed to bind the function, empty when unset ({@code (null)}). */
    public Optional<String> driverOverride(String address) {
        Path file = sysfs.confine(sysfs.pciDevice(address).resolve("driver_override"));
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String value = kernel.read(file);
        return value.isEmpty() || "(null)".equals(value) ? Optional.empty() : Optional.of(value);
    }

    /** {@code echo <driver> > driver_override}: from now on only that driver may bind the function. */
    public void setDriverOverride(String address, String driver) {
        kernel.writeTruncating(sysfs.confine(sysfs.pciDevice(address).resolve("driver_override")), driverName(driver));
    }

    /** {@code echo > driver_override}: a lone newline clears it, and the drivers' id tables decide again. */
    public void clearDriverOverride(String address) {
        kernel.writeTruncating(sysfs.confine(sysfs.pciDevice(address).resolve("driver_override")), "\n");
    }

    /**
     * {@code echo <address> > <device>/driver/unbind}: detaches the function from its driver. The kernel answers ENODEV
     * when it is not bound to that driver (any more).
     */
    public void unbind(String address) {
        String name = SysfsNames.pciAddress(address);
        Path link = sysfs.pciDevice(name).resolve("driver");
        if (!Files.isSymbolicLink(link)) {
            throw new IllegalStateException(name + " is bound to no driver");
        }
        kernel.write(sysfs.confine(link.resolve("unbind")), name);
    }

    /** {@code echo <address> > /sys/bus/pci/drivers/<driver>/bind}: EBUSY when bound, ENODEV when the driver does not match. */
    public void bind(String address, String driver) {
        String name = SysfsNames.pciAddress(address);
        kernel.write(sysfs.confine(sysfs.root().resolve("bus/pci/drivers").resolve(driverName(driver)).resolve("bind")), name);
    }

    /**
     * {@code echo <address> > /sys/bus/pci/drivers_probe}: lets the driver core find a driver for an unbound function
     * ({@code driver_override} first). The kernel does not report a driver that failed to probe: read {@link #driver}.
     */
    public void probe(String address) {
        kernel.write(sysfs.confine(sysfs.root().resolve("bus/pci/drivers_probe")), SysfsNames.pciAddress(address));
    }

    /** Whether the kernel has the driver loaded ({@code /sys/bus/pci/drivers/<driver>} exists). */
    public boolean isRegistered(String driver) {
        return Files.isDirectory(sysfs.root().resolve("bus/pci/drivers").resolve(driverName(driver)));
    }

    /** NVIDIA display-class physical functions (vendor 0x10de, class 0x03xxxx, not a VF), whatever they are bound to, by address. */
    public List<String> nvidiaGpus() {
        List<String> gpus = new ArrayList<>();
        for (Path device : Sysfs.list(sysfs.root().resolve("bus/pci/devices"))) {
            String address = device.getFileName().toString();
            if (SysfsNames.isPciAddress(address) && !Files.isSymbolicLink(device.resolve("physfn"))
                    && NVIDIA_VENDOR.equals(Sysfs.readOrNull(device.resolve("vendor")))
                    && String.valueOf(Sysfs.readOrNull(device.resolve("class"))).startsWith("0x03")) {
                gpus.add(address);
            }
        }
        gpus.sort(null);
        return List.copyOf(gpus);
    }

    private static String driverName(String driver) {
        if (driver == null || !DRIVER_NAME.matcher(driver).matches()) {
            throw new UnsafeSysfsPathException("not a kernel driver name: '" + driver + "'");
        }
        return driver;
    }
}
