package io.vgpuhub.agent.sysfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The procfs files the agent reads, and the one it writes (NVIDIA's unbind lock), under the root beside the sysfs root
 * ({@code /sys} -> {@code /proc}; the simulated host keeps one at {@code <state>/sim/proc}). A file that cannot be read
 * is empty; a process that ends between listing and reading is skipped, as is one whose fds are not the agent's to read.
 * The write goes through {@link KernelFiles} (one write(2), errno kept) to a path confined under the root.
 */
public final class Procfs {

    private static final Pattern PID = Pattern.compile("^[0-9]{1,10}$");
    private static final Pattern NVRM_VERSION = Pattern.compile("Kernel Module(?: for [^ ]+)?\\s+([0-9][0-9.]+)");
    private static final Pattern DEVICE_MINOR = Pattern.compile("(?m)^Device Minor:\\s*([0-9]{1,6})\\s*$");

    private final Path root;
    private final KernelFiles kernel;

    Procfs(Path root, KernelFiles kernel) {
        this.root = root.toAbsolutePath().normalize();
        this.kernel = kernel;
    }

    public Path root() {
        return root;
    }

    /** {@code /proc/cmdline}; empty when it cannot be read. */
    public Optional<String> cmdline() {
        return read(root.resolve("cmdline")).map(String::strip);
    }

    /** The running processes, by pid, in order. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (String name : names(root)) {
            if (PID.matcher(name).matches()) {
                pids.add(Long.parseLong(name));
            }
        }
        pids.sort(null);
        return List.copyOf(pids);
    }

    /** The process's name ({@code /proc/<pid>/comm}); {@code ?} when it ended meanwhile. */
    public String comm(long pid) {
        return read(root.resolve(Long.toString(pid)).resolve("comm")).map(String::strip).orElse("?");
    }

    /** What the process's open fds point at ({@code /proc/<pid>/fd/*} link targets, e.g. {@code /dev/nvidia0}). */
    public List<String> fdTargets(long pid) {
        Path fds = root.resolve(Long.toString(pid)).resolve("fd");
        List<String> targets = new ArrayList<>();
        for (String fd : names(fds)) {
            try {
                targets.add(Files.readSymbolicLink(fds.resolve(fd)).toString());
            }
            catch (IOException | UnsupportedOperationException notALinkOrClosed) {
                // closed between listing and reading
            }
        }
        return targets;
    }

    /**
     * The pids whose {@code comm} is {@code name}. The kernel cuts comm to 15 characters, which
     * {@code nvidia-vgpu-mgr} exactly fills.
     */
    public List<Long> pidsNamed(String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        return pids().stream().filter(pid -> comm.equals(comm(pid))).toList();
    }

    /** The processes that hold a device that {@code device} accepts (by path, e.g. {@code /dev/vfio/18}), one per device held. */
    public List<Holder> holding(Predicate<String> device) {
        List<Holder> holders = new ArrayList<>();
        for (long pid : pids()) {
            fdTargets(pid).stream().filter(device).distinct().sorted()
                    .forEach(held -> holders.add(new Holder(pid, comm(pid), held)));
        }
        return holders;
    }

    /** The NVIDIA kernel module's version from {@code /proc/driver/nvidia/version}; empty without the module. */
    public Optional<String> nvidiaVersion() {
        return read(root.resolve("driver/nvidia/version")).map(NVRM_VERSION::matcher).filter(Matcher::find).map(m -> m.group(1));
    }

    /** {@code GenuineIntel}, {@code AuthenticAMD} (the first {@code vendor_id} of {@code /proc/cpuinfo}); empty when unknown. */
    public Optional<String> cpuVendor() {
        return read(root.resolve("cpuinfo")).flatMap(text -> text.lines()
                .filter(l -> l.startsWith("vendor_id"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst());
    }

    /**
     * The minor number of the GPU's {@code /dev/nvidia<minor>} ("Device Minor:" of
     * {@code /proc/driver/nvidia/gpus/<bdf>/information}); empty when the nvidia driver does not drive it.
     */
    public OptionalInt nvidiaDeviceMinor(String gpu) {
        return read(nvidiaGpu(gpu).resolve("information")).map(DEVICE_MINOR::matcher).filter(Matcher::find)
                .map(m -> OptionalInt.of(Integer.parseInt(m.group(1)))).orElse(OptionalInt.empty());
    }

    /**
     * Takes NVIDIA's unbind lock of the GPU as {@code sriov-manage} does ({@code echo 1 > /proc/driver/nvidia/gpus/<bdf>/
     * unbindLock}, then reads it back): true when taken (nothing holds the GPU, and new opens of it fail until the
     * driver lets go of it), false when the driver refused because the GPU is in use; empty when there is no such file
     * (an older driver, or the GPU is not the nvidia driver's). Taking a lock already held reads back 1.
     *
     * @throws KernelWriteException when the write fails
     */
    public Optional<Boolean> takeNvidiaUnbindLock(String gpu) {
        Path lock = unbindLock(gpu);
        if (!Files.isRegularFile(lock)) {
            return Optional.empty();
        }
        kernel.write(Sysfs.confine(root, "procfs", lock), "1");
        return Optional.of("1".equals(read(lock).map(String::strip).orElse("0")));
    }

    /** Whether the nvidia driver offers the GPU's unbind lock (drivers before it do not, nor for a GPU it does not drive). */
    public boolean hasNvidiaUnbindLock(String gpu) {
        return Files.isRegularFile(unbindLock(gpu));
    }

    /** Gives the unbind lock back ({@code echo 0 > unbindLock}), where the file exists. */
    public void releaseNvidiaUnbindLock(String gpu) {
        Path lock = unbindLock(gpu);
        if (Files.isRegularFile(lock)) {
            kernel.write(Sysfs.confine(root, "procfs", lock), "0");
        }
    }

    /** The lock file's path, confined only before a write: reading a missing procfs must not throw. */
    private Path unbindLock(String gpu) {
        return nvidiaGpu(gpu).resolve("unbindLock");
    }

    private Path nvidiaGpu(String gpu) {
        return root.resolve("driver/nvidia/gpus").resolve(SysfsNames.pciAddress(gpu));
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static List<String> names(Path dir) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        catch (IOException | DirectoryIteratorException notOursToRead) {
            // /proc/<pid>/fd of another user's process, or a process that ended
        }
        names.sort(null);
        return names;
    }

    /** A process holding a device open. */
    public record Holder(long pid, String comm, String device) {

        /** {@code qemu-system-x86 (pid 4242) holds /dev/vfio/18}. */
        public String describe() {
            return comm + " (pid " + pid + ") holds " + device;
        }
    }
}
