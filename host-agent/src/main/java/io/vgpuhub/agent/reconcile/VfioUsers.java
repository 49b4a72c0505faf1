package io.vgpuhub.agent.reconcile;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vgpuhub.agent.sysfs.Procfs;
import io.vgpuhub.agent.sysfs.Sysfs;

/**
 * The processes (a VM's qemu) that hold a passthrough's VFIO device open. A vfio-pci unbind blocks in the kernel until
 * the user lets go of the device (vfio_unregister_group_dev waits, asking the user to release it), which would hang the
 * agent: so the agent looks first. A VM holds the group's character device {@code /dev/vfio/<group>} (legacy VFIO
 * container), or the function's own {@code /dev/vfio/devices/vfio<N>} (iommufd; {@code <bdf>/vfio-dev/vfio<N>} in
 * sysfs); both show as {@code /proc/<pid>/fd/*} links ({@link Procfs#holding}).
 */
final class VfioUsers {

    private final Sysfs sysfs;
    private final Procfs procfs;

    VfioUsers(Sysfs sysfs) {
        this.sysfs = sysfs;
        this.procfs = sysfs.procfs();
    }

    /** One line per holding process, e.g. {@code qemu-system-x86 (pid 4242) holds /dev/vfio/18}; empty when none. */
    List<String> holding(String gpu, List<String> functions) {
        Set<String> devices = new HashSet<>();
        sysfs.iommuGroup(gpu).ifPresent(group -> devices.add("/dev/vfio/" + group.number()));
        for (String function : functions) {
            sysfs.vfioCdevs(function).forEach(n -> devices.add("/dev/vfio/devices/" + n));
        }
        return procfs.holding(devices::contains).stream().map(Procfs.Holder::describe).toList();
    }
}
