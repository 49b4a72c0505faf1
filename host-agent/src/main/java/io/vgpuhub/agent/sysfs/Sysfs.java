package io.vgpuhub.agent.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * SR-IOV and mediated-device view of sysfs, rooted at a configurable directory ({@code /sys} on a real host).
 * Every name is validated and every path confined under the root, symlinks resolved, before anything is written.
 */
public final class Sysfs {

    private final Path root;
    private final KernelFiles kernel;

    public Sysfs(Path root, KernelFiles kernel) {
        this.root = root.toAbsolutePath().normalize();
        this.kernel = kernel;
    }

    public Path root() {
        return root;
    }

    /** The PCI driver core: which driver a function is bound to, and binding it to another (vfio-pci) and back. */
    public PciDrivers drivers() {
        return new PciDrivers(this, kernel);
    }

    /** The procfs beside this sysfs ({@code /sys} -> {@code /proc}), writing through the same kernel files. */
    public Procfs procfs() {
        return new Procfs(root.resolveSibling("proc"), kernel);
    }

    public List<MdevParent> mdevParents() {
        List<MdevParent> parents = new ArrayList<>();
        for (Path entry : list(root.resolve("class/mdev_bus"))) {
            String address = entry.getFileName().toString();
            if (SysfsNames.isPciAddress(address)) {
                parents.add(new MdevParent(address, physicalFunctionOf(address)));
            }
        }
        parents.sort(Comparator.comparing(MdevParent::address));
        return List.copyOf(parents);
    }

    public List<MdevType> types(String parent) {
        Path typesDir = confine(parentDir(parent).resolve("mdev_supported_types"));
        List<MdevType> types = new ArrayList<>();
        for (Path dir : list(typesDir)) {
            String id = dir.getFileName().toString();
            if (!id.matches("^nvidia-[0-9]{1,5}$")) {
                continue;
            }
            Path typeDir = confine(dir);
            types.add(new MdevType(parent, id, kernel.read(typeDir.resolve("name")),
                    MdevTypeDescription.parse(kernel.read(typeDir.resolve("description"))),
                    Integer.parseInt(kernel.read(typeDir.resolve("available_instances"))),
                    kernel.read(typeDir.resolve("device_api"))));
        }
        types.sort(Comparator.comparingInt(t -> Integer.parseInt(t.id().substring("nvidia-".length()))));
        return List.copyOf(types);
    }

    /** {@code echo <uuid> > <parent>/mdev_supported_types/<type>/create}. */
    public void createMdev(String parent, String typeId, UUID uuid) {
        String name = SysfsNames.uuid(uuid);
        Path create = confine(parentDir(parent).resolve("mdev_supported_types").resolve(SysfsNames.typeId(typeId)).resolve("create"));
        kernel.write(create, name);
    }

    /** {@code echo 1 > /sys/bus/mdev/devices/<uuid>/remove}. */
    public void removeMdev(UUID uuid) {
        Path remove = confine(root.resolve("bus/mdev/devices").resolve(SysfsNames.uuid(uuid)).resolve("remove"));
        kernel.write(remove, "1");
    }

    public List<Mdev> mdevs() {
        List<Mdev> mdevs = new ArrayList<>();
        for (Path link : list(root.resolve("bus/mdev/devices"))) {
            String name = link.getFileName().toString();
            UUID uuid;
            try {
                uuid = SysfsNames.parseUuid(name);
            }
            catch (UnsafeSysfsPathException notAnMdev) {
                continue;
            }
            Path device = confine(link);
            String parent = device.getParent().getFileName().toString();
            String type = readLinkName(device.resolve("mdev_type"));
            mdevs.add(new Mdev(uuid, parent, type));
        }
        mdevs.sort(Comparator.comparing(Mdev::uuid));
        return List.copyOf(mdevs);
    }

    /**
     * The host's vGPU framework, by sysfs (reference §2.4, NVIDIA's device manager): a non-empty
     * {@code class/mdev_bus} means mdev; otherwise a VF with {@code nvidia/creatable_vgpu_types}, or an NVIDIA PF with
     * {@code sriov_totalvfs} bound to the {@code nvidia} driver, means the vendor-specific VFIO framework.
     * Only conclusive while VFs are enabled: an SR-IOV GPU of an mdev host whose VFs are not enabled (after a reboot,
     * before {@code sriov-manage -e}) has no mdev parent yet and reads as vendor-VFIO, as it does for NVIDIA's tools.
     */
    public VgpuFramework framework() {
        if (!list(root.resolve("class/mdev_bus")).isEmpty()) {
            return VgpuFramework.MDEV;
        }
        if (!vendorVfioFunctions().isEmpty()) {
            return VgpuFramework.VENDOR_VFIO;
        }
        PciDrivers drivers = drivers();
        for (Path device : list(root.resolve("bus/pci/devices"))) {
            String address = device.getFileName().toString();
            if (SysfsNames.isPciAddress(address) && Files.exists(device.resolve("sriov_totalvfs"))
                    && !Files.isSymbolicLink(device.resolve("physfn"))
                    && PciDrivers.NVIDIA_VENDOR.equals(readOrNull(device.resolve("vendor")))
                    && drivers.isBoundTo(address, PciDrivers.NVIDIA)) {
                return VgpuFramework.VENDOR_VFIO;
            }
        }
        return VgpuFramework.NONE;
    }

    /** The PCI functions (VFs) with NVIDIA's {@code nvidia/current_vgpu_type}, sorted by address. */
    public List<String> vendorVfioFunctions() {
        List<String> vfs = new ArrayList<>();
        for (Path device : list(root.resolve("bus/pci/devices"))) {
            String address = device.getFileName().toString();
            if (SysfsNames.isPciAddress(address) && Files.isRegularFile(device.resolve("nvidia/current_vgpu_type"))) {
                vfs.add(address);
            }
        }
        vfs.sort(Comparator.naturalOrder());
        return List.copyOf(vfs);
    }

    /** Whether the function has NVIDIA's {@code nvidia/current_vgpu_type} (a VF of a vendor-VFIO host). */
    public boolean hasVendorVfio(String vf) {
        return Files.isRegularFile(confine(pciDevice(vf).resolve("nvidia/current_vgpu_type")));
    }

    /** The types creatable on this VF now ({@code nvidia/creatable_vgpu_types}); they shrink as siblings get vGPUs. */
    public List<VendorVfioType> creatableVgpuTypes(String vf) {
        return VendorVfioType.parseCreatable(kernel.read(confine(pciDevice(vf).resolve("nvidia/creatable_vgpu_types"))));
    }

    /** {@code nvidia/current_vgpu_type}: the VF's vGPU type id, 0 when it has none. */
    public int currentVgpuType(String vf) {
        String text = kernel.read(confine(pciDevice(vf).resolve("nvidia/current_vgpu_type")));
        try {
            return Integer.parseInt(text);
        }
        catch (NumberFormatException e) {
            throw new IllegalStateException("unexpected current_vgpu_type of " + vf + ": '" + text + "'");
        }
    }

    /**
     * Creates the VF's vGPU: writes the decimal type id to {@code nvidia/current_vgpu_type} with
     * O_WRONLY|O_TRUNC|O_SYNC, as NVIDIA's device manager does.
     */
    public void setVgpuType(String vf, int typeId) {
        if (typeId <= 0) {
            throw new IllegalArgumentException("vGPU type ids are positive (clear with clearVgpuType): " + typeId);
        }
        kernel.writeTruncating(confine(pciDevice(vf).resolve("nvidia/current_vgpu_type")), Integer.toString(typeId));
    }

    /** Destroys the VF's vGPU: writes 0 to {@code nvidia/current_vgpu_type}. */
    public void clearVgpuType(String vf) {
        kernel.writeTruncating(confine(pciDevice(vf).resolve("nvidia/current_vgpu_type")), "0");
    }

    public int totalVfs(String physicalFunction) {
        return Integer.parseInt(kernel.read(confine(pciDevice(physicalFunction).resolve("sriov_totalvfs"))));
    }

    public int numVfs(String physicalFunction) {
        return Integer.parseInt(kernel.read(confine(pciDevice(physicalFunction).resolve("sriov_numvfs"))));
    }

    /** Writes sriov_numvfs; the kernel refuses a change between two non-zero counts (EBUSY) and counts above totalvfs (ERANGE). */
    public void setNumVfs(String physicalFunction, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("VF count must be >= 0: " + count);
        }
        kernel.writeTruncating(confine(pciDevice(physicalFunction).resolve("sriov_numvfs")), Integer.toString(count));
    }

    /** The VFs in virtfn order. */
    public List<String> virtualFunctions(String physicalFunction) {
        Path pf = confine(pciDevice(physicalFunction));
        List<Path> links = new ArrayList<>();
        for (Path entry : list(pf)) {
            if (entry.getFileName().toString().matches("^virtfn[0-9]+$")) {
                links.add(entry);
            }
        }
        links.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring("virtfn".length()))));
        List<String> vfs = new ArrayList<>();
        for (Path link : links) {
            vfs.add(SysfsNames.pciAddress(confine(link).getFileName().toString()));
        }
        return List.copyOf(vfs);
    }

    /** The function's ids, class and driver; empty when no such function exists. */
    public Optional<PciFunction> pciFunction(String address) {
        Path dir = pciDevice(address);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        String name = SysfsNames.pciAddress(address);
        return Optional.of(new PciFunction(name, readOrNull(dir.resolve("vendor")), readOrNull(dir.resolve("device")),
                readOrNull(dir.resolve("class")), drivers().driver(name)));
    }

    /**
     * The function's IOMMU group ({@code <device>/iommu_group}), members in address order; empty when it has none (the
     * IOMMU is off, or the function does not exist).
     */
    public Optional<IommuGroup> iommuGroup(String address) {
        Path link = pciDevice(address).resolve("iommu_group");
        if (!Files.isSymbolicLink(link) || !Files.isDirectory(link)) {
            return Optional.empty();
        }
        Path group = confine(link);
        int number = Integer.parseInt(group.getFileName().toString());
        List<PciFunction> members = new ArrayList<>();
        for (Path member : list(group.resolve("devices"))) {
            String name = member.getFileName().toString();
            if (SysfsNames.isPciAddress(name)) {
                pciFunction(name).ifPresent(members::add);
            }
        }
        members.sort(Comparator.comparing(PciFunction::address));
        return Optional.of(new IommuGroup(number, List.copyOf(members)));
    }

    /** How many IOMMU groups the kernel made ({@code /sys/kernel/iommu_groups}); 0 when the IOMMU is off. */
    public int iommuGroupCount() {
        return list(root.resolve("kernel/iommu_groups")).size();
    }

    /** Whether a kernel module is loaded ({@code /sys/module/<name>}, e.g. {@code vfio_pci}). */
    public boolean moduleLoaded(String name) {
        if (!name.matches("^[a-z0-9_]{1,64}$")) {
            throw new UnsafeSysfsPathException("not a kernel module name: '" + name + "'");
        }
        return Files.isDirectory(root.resolve("module").resolve(name));
    }

    public boolean hasSriov(String physicalFunction) {
        return Files.exists(confine(pciDevice(physicalFunction)).resolve("sriov_totalvfs"));
    }

    private String physicalFunctionOf(String address) {
        Path physfn = pciDevice(address).resolve("physfn");
        if (!Files.isSymbolicLink(physfn)) {
            return null;
        }
        return SysfsNames.pciAddress(confine(physfn).getFileName().toString());
    }

    private Path parentDir(String parent) {
        return root.resolve("class/mdev_bus").resolve(SysfsNames.pciAddress(parent));
    }

    /**
     * The function's VFIO character devices ({@code <bdf>/vfio-dev/vfio<N>}, iommufd); empty when it has none or left
     * vfio-pci while being read.
     */
    public List<String> vfioCdevs(String address) {
        return namesIn(pciDevice(address).resolve("vfio-dev"), "vfio[0-9]+");
    }

    /** The numbers of the function's sound cards ({@code <bdf>/sound/card<N>}), sorted; empty when it has none. */
    public List<String> soundCards(String address) {
        return namesIn(pciDevice(address).resolve("sound"), "card[0-9]{1,3}").stream()
                .map(n -> n.substring("card".length())).sorted().toList();
    }

    /** The names in {@code dir} that match {@code regex}; empty when the directory is missing or goes away meanwhile. */
    private static List<String> namesIn(Path dir, String regex) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(e -> e.getFileName().toString()).filter(n -> n.matches(regex)).toList();
        }
        catch (IOException | UncheckedIOException gone) {
            return List.of();
        }
    }

    Path pciDevice(String address) {
        return root.resolve("bus/pci/devices").resolve(SysfsNames.pciAddress(address));
    }

    /**
     * The path, resolved, if it stays under the root: lexically (normalize) and physically (symlinks resolved on the
     * longest existing prefix). Throws {@link UnsafeSysfsPathException} otherwise.
     */
    Path confine(Path path) {
        return confine(root, "sysfs", path);
    }

    /** {@link #confine(Path)} under another kernel file system's root ({@code what}: its name, for messages). */
    static Path confine(Path root, String what, Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(root)) {
            throw new UnsafeSysfsPathException(path + " is outside the " + what + " root " + root);
        }
        try {
            Path realRoot = root.toRealPath();
            Path existing = normalized;
            Path rest = existing.getFileSystem().getPath("");
            while (existing != null && !Files.exists(existing)) {
                rest = existing.getFileName().resolve(rest);
                existing = existing.getParent();
            }
            if (existing == null) {
                throw new UnsafeSysfsPathException(path + " has no existing ancestor");
            }
            Path real = existing.toRealPath().resolve(rest).normalize();
            if (!real.startsWith(realRoot)) {
                throw new UnsafeSysfsPathException(path + " resolves to " + real + ", outside the " + what + " root " + realRoot);
            }
            return real;
        }
        catch (NoSuchFileException e) {
            throw new UnsafeSysfsPathException(what + " root " + root + " does not exist");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return entries;
    }

    static String readOrNull(Path file) {
        try {
            return Files.readString(file).strip();
        }
        catch (IOException e) {
            return null;
        }
    }

    private static String readLinkName(Path link) {
        try {
            return Files.readSymbolicLink(link).getFileName().toString();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read link " + link, e);
        }
    }
}
