package io.vgpuhub.agent.doctor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few procfs files the doctor reads, under a root beside the sysfs root ({@code /sys} -> {@code /proc}; the
 * simulated host keeps one at {@code <state>/sim/proc}). Only reads; a file that cannot be read is empty.
 */
final class Procfs {

    private static final Pattern PID = Pattern.compile("^[0-9]{1,10}$");
    private static final Pattern NVRM_VERSION = Pattern.compile("Kernel Module(?: for [^ ]+)?\\s+([0-9][0-9.]+)");

    private final Path root;

    Procfs(Path root) {
        this.root = root;
    }

    /** The procfs beside a sysfs root. */
    static Procfs besideSysfs(Path sysfsRoot) {
        return new Procfs(sysfsRoot.toAbsolutePath().normalize().resolveSibling("proc"));
    }

    Path root() {
        return root;
    }

    /** {@code /proc/cmdline}; empty when it cannot be read. */
    Optional<String> cmdline() {
        return read(root.resolve("cmdline")).map(String::strip);
    }

    /**
     * The pids whose {@code comm} is {@code name}. The kernel cuts comm to 15 characters, which
     * {@code nvidia-vgpu-mgr} exactly fills.
     */
    List<Long> pidsNamed(String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, p -> PID.matcher(p.getFileName().toString()).matches())) {
            for (Path process : entries) {
                // a process may exit between the listing and the read: it is simply not counted
                if (read(process.resolve("comm")).map(String::strip).filter(comm::equals).isPresent()) {
                    pids.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        }
        catch (IOException | RuntimeException e) {
            return List.of();
        }
        pids.sort(null);
        return List.copyOf(pids);
    }

    /** The NVIDIA kernel module's version from {@code /proc/driver/nvidia/version}; empty without the module. */
    Optional<String> nvidiaVersion() {
        return read(root.resolve("driver/nvidia/version")).map(NVRM_VERSION::matcher).filter(Matcher::find).map(m -> m.group(1));
    }

    /** {@code GenuineIntel}, {@code AuthenticAMD} (the first {@code vendor_id} of {@code /proc/cpuinfo}); empty when unknown. */
    Optional<String> cpuVendor() {
        return read(root.resolve("cpuinfo")).flatMap(text -> text.lines()
                .filter(l -> l.startsWith("vendor_id"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst());
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
