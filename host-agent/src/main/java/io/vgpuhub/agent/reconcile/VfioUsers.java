package io.vgpuhub.agent.reconcile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vgpuhub.agent.sysfs.Sysfs;
import io.vgpuhub.agent.sysfs.SysfsNames;

/**
 * The processes (a VM's qemu) that hold a passthrough's VFIO device open. A vfio-pci unbind blocks in the kernel until
 * the user lets go of the device (vfio_unregister_group_dev waits, asking the user to release it), which would hang the
 * agent: so the agent looks first. A VM holds the group's character device {@code /dev/vfio/<group>} (legacy VFIO
 * container), or the function's own {@code /dev/vfio/devices/vfio<N>} (iommufd; {@code <bdf>/vfio-dev/vfio<N>} in
 * sysfs); both show as {@code /proc/<pid>/fd/*} links. The procfs is the one beside the sysfs root ({@code /sys} ->
 * {@code /proc}; a simulated host's {@code <state>/sim/sys} -> {@code <state>/sim/proc}). Processes whose fds cannot
 * be read (gone meanwhile, or not the agent's to read) are skipped.
 */
final class VfioUsers {

    private final Sysfs sysfs;
    private final Path proc;

    VfioUsers(Sysfs sysfs) {
        this.sysfs = sysfs;
        this.proc = sysfs.root().resolveSibling("proc");
    }

    /** One line per holding process, e.g. {@code qemu-system-x86 (pid 4242) holds /dev/vfio/18}; empty when none. */
    List<String> holding(String gpu, List<String> functions) {
        Set<String> devices = new HashSet<>();
        sysfs.iommuGroup(gpu).ifPresent(group -> devices.add("/dev/vfio/" + group.number()));
        for (String function : functions) {
            Path cdevs = sysfs.root().resolve("bus/pci/devices").resolve(SysfsNames.pciAddress(function)).resolve("vfio-dev");
            for (String name : names(cdevs)) {
                if (name.matches("vfio[0-9]+")) {
                    devices.add("/dev/vfio/devices/" + name);
                }
            }
        }
        List<String> holders = new ArrayList<>();
        for (String pid : names(proc)) {
            if (!pid.matches("[0-9]+")) {
                continue;
            }
            String held = heldBy(proc.resolve(pid).resolve("fd"), devices);
            if (held != null) {
                holders.add(comm(pid) + " (pid " + pid + ") holds " + held);
            }
        }
        return holders;
    }

    private static String heldBy(Path fds, Set<String> devices) {
        for (String fd : names(fds)) {
            try {
                String target = Files.readSymbolicLink(fds.resolve(fd)).toString();
                if (devices.contains(target)) {
                    return target;
                }
            }
            catch (IOException | UnsupportedOperationException notALinkOrGone) {
                // closed between listing and reading
            }
        }
        return null;
    }

    private String comm(String pid) {
        try {
            return new String(Files.readAllBytes(proc.resolve(pid).resolve("comm")), StandardCharsets.UTF_8).strip();
        }
        catch (IOException gone) {
            return "?";
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
}
